import { SealkitError } from '@sealkit/core';

/** A mistake in what the user gave, with one sentence saying how to fix it; `field` is the id of the control to fix. */
export class UserError extends Error {
  readonly field: string | undefined;
  constructor(message: string, options: { field?: string } = {}) {
    super(message);
    this.name = 'UserError';
    this.field = options.field;
  }
}

/** The sentence to show for an error. Only our own messages are shown: they never contain a value. */
export function describeError(error: unknown): string {
  if (error instanceof UserError || error instanceof SealkitError) return error.message;
  const name = error instanceof Error ? error.name : typeof error;
  return `Something unexpected went wrong (${name}); reload the page and try again.`;
}

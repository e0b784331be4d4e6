/**
 * Every failure ends as one line on stderr and a non-zero exit. Messages never
 * carry a secret value or key: they are built from names, paths and positions only.
 */
import { SealkitError } from '@sealkit/core';

/** A failure the user can fix; `message` is one sentence saying what was wrong and what to do. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

interface CommanderLikeError {
  code: string;
  exitCode: number;
  message: string;
}

// Recognised by its codes ("commander.unknownOption"): the bundle's minifier renames the class.
function isCommanderError(error: unknown): error is CommanderLikeError {
  const code = (error as Partial<CommanderLikeError> | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('commander.');
}

/** "The key is bad." → "the key is bad", to continue a sentence. */
export function asClause(message: string): string {
  const trimmed = message.trim().replace(/\.$/, '');
  return /^[A-Z][a-z]/.test(trimmed) ? trimmed.charAt(0).toLowerCase() + trimmed.slice(1) : trimmed;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** The one-line text for an error, or undefined when nothing should be printed (help, --version). */
export function describeError(error: unknown): { message?: string; exitCode: number } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof SealkitError) return { message: error.message, exitCode: 1 };
  if (isCommanderError(error)) {
    if (error.exitCode === 0) return { exitCode: 0 };
    // An unknown `--flag=VALUE` is named without its value, which may be a secret (--from-litral=k=s3cr3t).
    const text = oneLine(error.message)
      .replace(/^error:\s*/, '')
      .replace(/'(--?[^'=\s]*)=[^']*'/g, "'$1=…'");
    // Usage errors exit 2, as kubeseal's (pflag's) do.
    return { message: `${text.charAt(0).toUpperCase()}${text.slice(1).replace(/\.$/, '')}; see 'sealkit --help'.`, exitCode: 2 };
  }
  // A foreign error's message may quote anything it was given (a value, a URL with a password): only --debug shows it.
  return { message: 'Unexpected failure; rerun with --debug to see what and where, and please report it.', exitCode: 1 };
}

/** Prints the error (with its stack under --debug) and returns the exit code. */
export function reportError(error: unknown, debug: boolean): number {
  const { message, exitCode } = describeError(error);
  if (message) process.stderr.write(`error: ${oneLine(message)}\n`);
  if (debug && message && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return exitCode;
}

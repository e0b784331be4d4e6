/**
 * A name (metadata.name, a data key) as it may appear in a message: quoted, with
 * every control, line-break and direction-changing character escaped, so that a
 * hostile name cannot move the cursor, recolour or rewrite a terminal.
 */
const UNSAFE = /[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

export function quoteName(name: string): string {
  // JSON.stringify escapes C0 controls, quotes and backslashes; the rest is done here.
  return JSON.stringify(name).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The same escaping without the quotes, to join into `namespace/name`. */
export function escapeName(name: string): string {
  return quoteName(name).slice(1, -1);
}

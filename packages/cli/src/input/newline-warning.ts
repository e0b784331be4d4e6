/**
 * A one-line value that ends with a line break is usually `echo s3cr3t > file`
 * (or `echo s3cr3t | sealkit --raw`): the newline gets sealed too and breaks the
 * password. Warned about, never changed. Multi-line values (PEM files) end with
 * one legitimately, so they are left alone.
 */
import { warn } from '../program/log.js';

export function warnIfTrailingNewline(value: Uint8Array, what: string): void {
  const last = value.at(-1);
  if (last !== 0x0a) return;
  const body = value.subarray(0, value.at(-2) === 0x0d ? -2 : -1);
  if (body.includes(0x0a)) return;
  warn(`${what} ends with a newline, which is sealed as part of it; if that is not intended, write it with printf or echo -n.`);
}

// The resource limits of one render, so that a hostile template cannot exhaust the controller.
import { ferr } from './errors.js';

export const MAX_OUTPUT = 1 << 20; // bytes written by one execution
export const MAX_STRING = 1 << 20; // bytes in any string a function returns
const MAX_LIST = 100_000; // elements in any list a function builds
export const MAX_STEPS = 1_000_000; // nodes walked, commands evaluated and range iterations
export const MAX_WORK = 64 << 20; // bytes/elements passed to and returned by functions, in total
export const MAX_NESTING = 100; // nested control structures and parentheses in the source
export const MAX_TEMPLATE_DEPTH = 100; // nested {{template}} calls (Go allows 100000)
export const MAX_REGEX_INSTS = 20_000; // instructions of one compiled regular expression
export const MAX_REGEX_STEPS = 20_000_000; // regular expression VM steps in one render

/** Fails a function whose string result would be longer than MAX_STRING bytes. */
export function checkStringLength(n: number): void {
  if (n > MAX_STRING) throw ferr('result exceeds the 1 MiB limit');
}

/** Fails a function whose list result would have more than MAX_LIST elements. */
export function checkListLength(n: number): void {
  if (n > MAX_LIST) throw ferr(`list exceeds ${MAX_LIST} elements`);
}

// The resource limits of one render, so that a hostile template cannot exhaust the process that renders it.
//
// Every render has one budget (rendering is synchronous, so it is module state): work units charged in
// proportion to real work (nodes walked, bytes and elements handled, comparisons made, regex VM steps),
// and a wall-clock deadline looked at every CLOCK_EVERY units. Exceeding either throws LimitError,
// which the entry point turns into GoTemplateError('budget-exceeded' / 'deadline-exceeded').
import { ferr } from './errors.js';

export const MAX_OUTPUT = 1 << 20; // default bytes written by one execution
export const MAX_MEMORY = 64 << 20; // default bytes of strings and list elements functions may make in one render
export const MAX_STRING = 1 << 20; // bytes in any string a function returns
const MAX_LIST = 100_000; // elements in any list a function builds
export const MAX_WORK = 200_000_000; // default work units of one render (~1 s of the slowest kind of work)
export const DEADLINE_MS = 1000; // default wall-clock time of one render
export const MAX_NESTING = 100; // nested control structures and parentheses in the source
export const MAX_TEMPLATE_DEPTH = 100; // nested {{template}} calls (Go allows 100000)
export const MAX_REGEX_INSTS = 20_000; // instructions of one compiled regular expression
const CLOCK_EVERY = 1 << 16; // work units between two looks at the clock

/** A render ran out of work units or time; never caught by sprig's lenient functions. */
export class LimitError extends Error {
  constructor(readonly limit: 'budget' | 'deadline') {
    super(
      limit === 'budget'
        ? 'rendering needs more work or output than allowed; simplify the template'
        : 'rendering took longer than allowed; simplify the template',
    );
  }
}

interface Budget {
  left: number;
  nextClock: number;
  deadline: number;
  outputLeft: number;
  memoryLeft: number;
}
let budget: Budget = { left: MAX_WORK, nextClock: CLOCK_EVERY, deadline: Infinity, outputLeft: MAX_OUTPUT, memoryLeft: MAX_MEMORY };
const now = (): number => (typeof performance === 'undefined' ? Date.now() : performance.now());

/** Starts one render's budget. */
export function startBudget(work: number, deadlineMs: number, output: number, memory: number): void {
  budget = { left: work, nextClock: work - CLOCK_EVERY, deadline: now() + deadlineMs, outputLeft: output, memoryLeft: memory };
}

/** Charges n work units (n may be fractional or huge); fails past the budget or the deadline. */
export function charge(n: number): void {
  const b = budget;
  b.left -= n;
  if (b.left < 0) throw new LimitError('budget');
  if (b.left <= b.nextClock) {
    b.nextClock = b.left - CLOCK_EVERY;
    if (now() > b.deadline) throw new LimitError('deadline');
  }
}

/** Fails if the deadline has passed: for long single steps (scrypt) that report their progress. */
export function checkDeadline(): void {
  if (now() > budget.deadline) throw new LimitError('deadline');
}

/**
 * Charges n bytes (or list elements) a function made: what a render may hold at once is bounded by what
 * it makes in total, since nothing is freed before the render ends as far as this count knows.
 */
export function chargeMemory(n: number): void {
  if ((budget.memoryLeft -= n) < 0) throw new LimitError('budget');
}

/** Charges n bytes of output against the output cap. */
export function chargeOutput(n: number): void {
  if ((budget.outputLeft -= n) < 0) throw new LimitError('budget');
  charge(n);
}

/** Fails a function whose string result would be longer than MAX_STRING bytes. */
export function checkStringLength(n: number): void {
  if (n > MAX_STRING) throw ferr('result exceeds the 1 MiB limit');
}

/** Fails a function whose list result would have more than MAX_LIST elements. */
export function checkListLength(n: number): void {
  if (n > MAX_LIST) throw ferr(`list exceeds ${MAX_LIST} elements`);
}

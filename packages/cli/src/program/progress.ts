/**
 * Progress of a long run on stderr: silent for the first seconds (short runs say
 * nothing), then a line at most every second. On a terminal the line is redrawn.
 */
import { isatty } from 'node:tty';

const QUIET_MS = 2000;
const EVERY_MS = 1000;

export class Progress {
  readonly #started = performance.now();
  #last = 0;
  #shown = false;
  readonly #terminal = isatty(2);

  constructor(
    private readonly verb: string,
    private readonly total: number,
    private readonly unit: string,
  ) {}

  tick(done: number): void {
    const now = performance.now();
    if (now - this.#started < QUIET_MS || now - this.#last < EVERY_MS) return;
    this.#last = now;
    this.#shown = true;
    const line = `${this.verb} ${done}/${this.total} ${this.unit}`;
    process.stderr.write(this.#terminal ? `\r${line}\x1b[K` : `${line}\n`);
  }

  done(): void {
    if (this.#shown && this.#terminal) process.stderr.write('\r\x1b[K');
  }
}

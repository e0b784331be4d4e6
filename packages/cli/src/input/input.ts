/** Where a command's input comes from: a file given with -f, or stdin. */
import { fstatSync, statSync } from 'node:fs';
import { CliError } from '../program/errors.js';
import { note } from '../program/log.js';
import { MAX_INPUT_BYTES, readBounded, readFileBytes, readTextFile } from './files.js';

/** kubeseal's hints when stdin is a terminal, so a user left waiting knows why. */
export const TTY_HINTS = {
  manifest: '(tty detected: expecting json/yaml k8s resource in stdin)',
  rawValue: '(tty detected: expecting a secret to encrypt in stdin)',
  sealedValue: '(tty detected: expecting a sealed value in stdin)',
} as const;

const tooLarge = () =>
  new CliError(
    `The input is larger than ${MAX_INPUT_BYTES >> 20} MiB; Secrets are at most 1 MiB each, so split it or check what is being piped in.`,
  );

async function readStdinStream(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_INPUT_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads fd 0 to its end, refusing more than MAX_INPUT_BYTES rather than exhausting memory. */
function readStdinSync(): Uint8Array {
  return readBounded(0, tooLarge);
}

/**
 * Whether stdin is a terminal. Asked of the file system rather than node:tty,
 * which would load Node's socket and stream modules at every start-up.
 */
export function stdinIsTerminal(): boolean {
  try {
    const stdin = fstatSync(0);
    return stdin.isCharacterDevice() && stdin.rdev !== statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}

/** All of stdin; prints `ttyHint` first when stdin is a terminal. */
export async function readStdin(ttyHint: string): Promise<Uint8Array> {
  if (stdinIsTerminal()) note(ttyHint);
  try {
    return readStdinSync();
  } catch (error) {
    // A non-blocking stdin (some parents hand one over) cannot be read synchronously.
    if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return readStdinStream();
    if ((error as NodeJS.ErrnoException).code === 'EOF') return new Uint8Array(0);
    throw error;
  }
}

/** The bytes of `file` ("-" is stdin), or of stdin when no file is given. */
async function readInput(file: string | undefined, what: string, ttyHint: string = TTY_HINTS.manifest): Promise<Uint8Array> {
  if (file === undefined || file === '-') return readStdin(ttyHint);
  return readFileBytes(file, what);
}

export async function readInputText(file: string | undefined, what: string, ttyHint?: string): Promise<string> {
  return Buffer.from(await readInput(file, what, ttyHint)).toString('utf8');
}

let stdinTaken = false;

/**
 * The text of a file named on the command line, where "-" is stdin (as for -f): `sealkit diff -
 * new.yaml`, `--key -`. Stdin can be given only once.
 */
export async function readNamedText(path: string, what: string): Promise<string> {
  if (path !== '-') return readTextFile(path, what);
  if (stdinTaken) throw new CliError(`Stdin ("-") is given as more than one file; only one ${what} can come from stdin.`);
  stdinTaken = true;
  return Buffer.from(await readStdin(TTY_HINTS.manifest)).toString('utf8');
}

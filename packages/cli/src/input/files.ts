/** Reading users' files with errors that say which file and what to do, and atomic writes. */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fchownSync,
  fstatSync,
  fsync,
  fsyncSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from '../program/errors.js';
import { warn } from '../program/log.js';

const REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of its path is not a directory',
  ELOOP: 'it is a symbolic link loop',
  ENAMETOOLONG: 'its name is too long',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EEXIST: 'it already exists',
};

/** Why a file operation failed, in words ("it does not exist"). */
function fileProblem(error: unknown, writing = false): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (writing && code === 'ENOENT') return 'its directory does not exist';
  return (code && REASONS[code]) ?? `the system reported ${code ?? 'an unknown error'}`;
}

/** A CliError for a failed file operation: `Cannot read the certificate file "c.pem": it does not exist.` */
export function fileError(action: string, what: string, path: string, error: unknown): CliError {
  return new CliError(`Cannot ${action} the ${what} "${path}": ${fileProblem(error, action === 'write')}.`);
}

/** More than any manifest or key file needs; reading stops there, so memory stays bounded. */
export const MAX_INPUT_BYTES = 64 << 20;

/**
 * Reads `fd` to its end, refusing more than MAX_INPUT_BYTES. What is read is capped,
 * not what stat says: /dev/zero, a FIFO or /proc files report a size of 0.
 */
export function readBounded(fd: number, tooLarge: () => Error): Uint8Array {
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(1 << 16);
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) return Buffer.concat(chunks, size);
    size += read;
    if (size > MAX_INPUT_BYTES) throw tooLarge();
    chunks.push(chunk.subarray(0, read));
  }
}

/** An HTTP response's body as text, refusing more than MAX_INPUT_BYTES as it arrives (a server may send without end). */
export async function readResponseText(response: Response, tooLarge: () => Error): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > MAX_INPUT_BYTES) throw tooLarge(); // leaving the loop cancels the stream
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

export function readFileBytes(path: string, what: string): Uint8Array {
  const tooLarge = () =>
    new CliError(`The ${what} "${path}" is larger than ${MAX_INPUT_BYTES >> 20} MiB; that is not a manifest or key file.`);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    return readBounded(fd, tooLarge);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw fileError('read', what, path, error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function readTextFile(path: string, what: string): string {
  return Buffer.from(readFileBytes(path, what)).toString('utf8');
}

/**
 * The file a write really replaces: the target of a symbolic link, so the link survives.
 * Refused, as the kernel's protected_symlinks refuses to follow it, is another user's link
 * in a sticky world-writable directory (/tmp): realpath + rename would sidestep that rule.
 */
function writeTarget(path: string): string {
  let link;
  try {
    link = lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw fileError('write', 'file', path, error); // a part of the path is a file, say
  }
  if (link?.isSymbolicLink()) {
    const directory = statSync(dirname(path));
    const shared = (directory.mode & 0o1002) === 0o1002;
    if (shared && link.uid !== process.getuid?.() && link.uid !== directory.uid) {
      throw new CliError(
        `Refusing to write through the symbolic link "${path}": another user owns it, in a shared directory; write to the file itself.`,
      );
    }
  }
  try {
    return realpathSync.native(path); // one system call; the JS version stats every component of the path
  } catch {
    return path;
  }
}

/** Writes into an existing device or FIFO (-w /dev/stdout, /dev/null), as kubeseal does: it cannot be replaced. */
function writeInto(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (error) {
    throw fileError('write', 'file', path, error);
  }
}

export interface AtomicWriteOptions {
  /** Mode for a new file; an existing file keeps its own mode. Default 0o666 less the umask. */
  mode?: number;
  /** Force this mode even on an existing file (private keys: 0o600). */
  forceMode?: boolean;
}

/** A temporary file written beside its target, to be flushed and renamed over it. */
interface PendingWrite {
  path: string;
  target: string;
  temporary: string;
  fd: number | undefined;
}

/** The temporary file of a failed write is removed; the target stays as it was. */
function abandon(pending: PendingWrite, error: unknown): never {
  if (pending.fd !== undefined) closeSync(pending.fd);
  try {
    unlinkSync(pending.temporary);
  } catch {
    // The temporary file was never created or is already renamed.
  }
  throw fileError('write', 'file', pending.path, error);
}

/** Writes `data` to a new temporary file beside the target; undefined when the target is a device or FIFO, written into instead. */
function beginAtomicWrite(path: string, data: string | Uint8Array, options: AtomicWriteOptions): PendingWrite | undefined {
  const target = writeTarget(path);
  let existing: { mode: number; uid: number; gid: number } | undefined;
  try {
    const stats = statSync(path); // through links, as the target; /dev/stdout's own realpath is no path
    if (!stats.isFile()) {
      writeInto(path, data);
      return undefined;
    }
    existing = stats;
  } catch (error) {
    if (error instanceof CliError) throw error;
    // A new file.
  }
  // An existing file keeps its exact mode (openSync would apply the umask); a forced mode wins.
  const exactMode = options.forceMode ? options.mode : existing && existing.mode & 0o7777;
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const pending: PendingWrite = { path, target, temporary, fd: undefined };
  try {
    pending.fd = openSync(temporary, 'wx', exactMode ?? options.mode ?? 0o666);
    // Not for private files: root must not hand plaintext or a key to whoever planted the old file.
    if (existing && !options.forceMode) keepOwner(pending.fd, existing, path);
    if (exactMode !== undefined) chmodSync(temporary, exactMode); // after chown, which clears set-id bits
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(pending.fd, bytes, written, bytes.length - written);
  } catch (error) {
    abandon(pending, error);
  }
  return pending;
}

/** Renames the flushed temporary file over the target. */
function endAtomicWrite(pending: PendingWrite): void {
  try {
    closeSync(pending.fd!);
    pending.fd = undefined;
    renameSync(pending.temporary, pending.target);
  } catch (error) {
    abandon(pending, error);
  }
}

/**
 * Replaces `path` in one step: the data goes to a temporary file in the same
 * directory, is flushed, then renamed over the target. Readers see the old file
 * or the new one, never half of it; a failure leaves the old file as it was.
 * An existing device or FIFO is written into instead.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const pending = beginAtomicWrite(path, data, options);
  if (!pending) return;
  try {
    fsyncSync(pending.fd!);
  } catch (error) {
    abandon(pending, error);
  }
  endAtomicWrite(pending);
}

/**
 * writeFileAtomic with the flush, which waits for the disk, in libuv's thread pool: for
 * commands that write many files (reseal), whose main thread has other work meanwhile.
 */
export async function writeFileAtomicInBackground(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const pending = beginAtomicWrite(path, data, options);
  if (!pending) return;
  try {
    await new Promise<void>((resolve, reject) => fsync(pending.fd!, (error) => (error ? reject(error) : resolve())));
  } catch (error) {
    abandon(pending, error);
  }
  endAtomicWrite(pending);
}

/**
 * The replacement gets the replaced file's owner and group, as far as the
 * system lets us (root may set both; an owner, a group it belongs to).
 */
function keepOwner(fd: number, existing: { uid: number; gid: number }, path: string): void {
  const made = fstatSync(fd); // the directory, not only the process, may decide the group
  if (made.uid === existing.uid && made.gid === existing.gid) return;
  try {
    fchownSync(fd, existing.uid, existing.gid);
  } catch {
    let groupKept = made.gid === existing.gid;
    if (!groupKept) {
      try {
        fchownSync(fd, made.uid, existing.gid);
        groupKept = true;
      } catch {
        // Not a group we belong to.
      }
    }
    const lost = [made.uid !== existing.uid ? 'owner' : '', groupKept ? '' : 'group'].filter(Boolean).join(' and ');
    warn(`The ${lost} of "${path}" could not be kept: the new file has yours.`);
  }
}

/** Reading users' files with errors that say which file and what to do, and atomic writes. */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fchownSync, fstatSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './errors.js';
import { warn } from './log.js';

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

/** More than any manifest or key file needs; refused before reading, so memory stays bounded. */
export const MAX_INPUT_BYTES = 64 << 20;

export function readFileBytes(path: string, what: string): Uint8Array {
  try {
    if (statSync(path).size <= MAX_INPUT_BYTES) return readFileSync(path);
  } catch (error) {
    throw fileError('read', what, path, error);
  }
  throw new CliError(`The ${what} "${path}" is larger than ${MAX_INPUT_BYTES >> 20} MiB; that is not a manifest or key file.`);
}

export function readTextFile(path: string, what: string): string {
  return Buffer.from(readFileBytes(path, what)).toString('utf8');
}

/** The file a write really replaces: the target of a symbolic link, so the link survives. */
function writeTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export interface AtomicWriteOptions {
  /** Mode for a new file; an existing file keeps its own mode. Default 0o666 less the umask. */
  mode?: number;
  /** Force this mode even on an existing file (private keys: 0o600). */
  forceMode?: boolean;
}

/**
 * Replaces `path` in one step: the data goes to a temporary file in the same
 * directory, is flushed, then renamed over the target. Readers see the old file
 * or the new one, never half of it; a failure leaves the old file as it was.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const target = writeTarget(path);
  let existing: { mode: number; uid: number; gid: number } | undefined;
  try {
    existing = statSync(target);
  } catch {
    // A new file.
  }
  // An existing file keeps its exact mode (openSync would apply the umask); a forced mode wins.
  const exactMode = options.forceMode ? options.mode : existing && existing.mode & 0o7777;
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'wx', exactMode ?? options.mode ?? 0o666);
    // Not for private files: root must not hand plaintext or a key to whoever planted the old file.
    if (existing && !options.forceMode) keepOwner(fd, existing, path);
    if (exactMode !== undefined) chmodSync(temporary, exactMode); // after chown, which clears set-id bits
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // The temporary file was never created or is already renamed.
    }
    throw fileError('write', 'file', path, error);
  }
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

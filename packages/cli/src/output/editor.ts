/**
 * Plaintext in the user's editor, on disk only as long as the editor needs it:
 * a 0600 file in a private (0700) temporary directory, removed on every way out
 * (success, error, editor failure, every terminating signal a process can catch).
 * While the editor runs, SIGINT is left to it, as git does, since Ctrl-C in a
 * terminal reaches both. SIGKILL cannot be caught: the next edit removes what a
 * killed one left. Core dumps are turned off first: one would hold the plaintext.
 */
import { execFileSync, spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../program/errors.js';
import { note } from '../program/log.js';

export interface EditSession {
  /** Shows `text` in the editor and returns what was saved. */
  edit(text: string): Promise<string>;
}

/**
 * Every signal whose default action ends the process and that a process may catch
 * (SIGKILL and SIGSTOP cannot be; SIGSEGV, SIGBUS, SIGFPE and SIGILL raised by a
 * real fault leave no safe way to run JavaScript; SIGUSR1 is Node's debugger).
 */
const TERMINATING_SIGNALS: NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR2',
  'SIGABRT',
  'SIGTRAP',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGALRM',
  'SIGPIPE',
  'SIGPOLL',
  'SIGSYS',
  'SIGPWR',
  'SIGSTKFLT',
].filter((signal) => signal in constants.signals) as NodeJS.Signals[];

/**
 * Core dumps off for this process and the editor it starts (RLIMIT_CORE = 0, soft and
 * hard): a dump would hold the plaintext. Node has no setrlimit; util-linux's prlimit
 * sets it for a running process. Where it is missing, SECURITY.md says what remains.
 */
function disableCoreDumps(): void {
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), '--core=0:0'], { stdio: 'ignore', timeout: 5000 });
  } catch {
    // No prlimit (macOS, minimal images): `ulimit -c 0` before sealkit edit does the same.
  }
}

function editorCommand(): string {
  return process.env.VISUAL || process.env.EDITOR || 'vi';
}

function runEditor(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Through the shell, like git and kubectl: $EDITOR may carry arguments ("code --wait").
    const child = spawn('/bin/sh', ['-c', `${editorCommand()} "$1"`, 'sealkit-editor', file], { stdio: 'inherit' });
    child.on('error', (error) => reject(new CliError(`Cannot start the editor "${editorCommand()}": ${error.message}; set $EDITOR.`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new CliError(
            `The editor "${editorCommand()}" ${signal ? `was stopped by ${signal}` : `exited with status ${code}`}; nothing was changed.`,
          ),
        );
    });
  });
}

/** Session directories carry the process id, so that a later session can tell an abandoned one. */
const SESSION_PREFIX = 'sealkit-edit-';
const SESSION_NAME = /^sealkit-edit-(\d+)-/;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/** Removes the session directories of ours whose sealkit is gone (killed by SIGKILL, or the machine stopped). */
function removeAbandonedSessions(): void {
  const uid = process.getuid?.();
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(SESSION_NAME.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    const path = join(tmpdir(), name);
    try {
      const stats = lstatSync(path);
      if (!stats.isDirectory() || (uid !== undefined && stats.uid !== uid)) continue;
      rmSync(path, { recursive: true, force: true });
      note(`(sealkit: removed ${path}, the plaintext of an edit whose sealkit was killed)`);
    } catch {
      // Gone meanwhile, or not ours to remove.
    }
  }
}

/**
 * Runs `work` with an edit session whose temporary file is gone when `work`
 * settles, or when the process is told to terminate meanwhile.
 */
export async function withEditSession<T>(fileName: string, work: (session: EditSession) => Promise<T>): Promise<T> {
  removeAbandonedSessions();
  disableCoreDumps();
  const directory = mkdtempSync(join(tmpdir(), `${SESSION_PREFIX}${process.pid}-`));
  const file = join(directory, fileName);
  const removeFiles = () => rmSync(directory, { recursive: true, force: true });
  let editorRunning = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === 'SIGINT' && editorRunning) return; // the editor's to handle
    removeFiles();
    process.exit(128 + constants.signals[signal]);
  };
  for (const signal of TERMINATING_SIGNALS) process.on(signal, onSignal);
  try {
    return await work({
      async edit(text) {
        writeFileSync(file, text, { mode: 0o600 });
        editorRunning = true;
        try {
          await runEditor(file);
        } finally {
          editorRunning = false;
        }
        const saved = readFileSync(file, 'utf8');
        rmSync(file, { force: true }); // not needed on disk while sealing
        return saved;
      },
    });
  } finally {
    for (const signal of TERMINATING_SIGNALS) process.off(signal, onSignal);
    removeFiles();
  }
}

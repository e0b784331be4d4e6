/**
 * A controller (ours or Bitnami's) run as a separate process: its output kept, its
 * readiness awaited over HTTP, killed by pid when a test ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ControllerProcess {
  apiUrl: string;
  metricsUrl: string;
  child: ChildProcess;
  /** Everything it logged so far. */
  output(): string;
  /** The JSON lines it logged. */
  logs(): Record<string, unknown>[];
  /** Sends `signal` and resolves with the exit code (or the signal's name). */
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

export interface LaunchOptions {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  apiUrl: string;
  metricsUrl: string;
  /** Answers 2xx once the controller is ready. */
  readyUrl: string;
  readyTimeoutMs?: number;
}

let emptySealkitHome: string | undefined;
/** The environment for running the CLI: the user's, with an empty sealkit home, so a local keyring in the real home (the README's quick start makes one) cannot change what the CLI does. */
export function cliEnv(): NodeJS.ProcessEnv {
  if (!emptySealkitHome) {
    const home = (emptySealkitHome = mkdtempSync(join(tmpdir(), 'sealkit-empty-home-')));
    process.once('exit', () => rmSync(home, { recursive: true, force: true }));
  }
  return { ...process.env, SEALKIT_HOME: emptySealkitHome };
}

const running = new Set<ControllerProcess>();

/** Polls `probe` until it returns something truthy; fails with `what` after `timeoutMs`. */
type Falsy = false | 0 | '' | null | undefined;
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 20_000): Promise<Exclude<T, Falsy>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as Exclude<T, Falsy>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function launchController(options: LaunchOptions): Promise<ControllerProcess> {
  const child = spawn(options.command, options.args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolveExit) => child.on('exit', (code, signal) => resolveExit(code ?? signal ?? -1)));
  const controller: ControllerProcess = {
    apiUrl: options.apiUrl,
    metricsUrl: options.metricsUrl,
    child,
    output: () => output,
    logs: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async kill(signal = 'SIGTERM') {
      running.delete(controller);
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  running.add(controller);
  const gone = exited.then((code) => {
    throw new Error(`The controller exited with ${code} while starting:\n${output}`);
  });
  await Promise.race([
    waitFor('the controller to be ready', () => fetch(options.readyUrl).then((r) => r.ok), options.readyTimeoutMs),
    gone,
  ]);
  return controller;
}

/** Kills every controller a test left running. */
export async function killControllers(): Promise<void> {
  await Promise.all([...running].map((controller) => controller.kill('SIGKILL')));
}

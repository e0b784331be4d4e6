/**
 * Helpers for the CLI's end-to-end tests: they run the built `sealkit` binary
 * (`pnpm build` first) in a sandbox of its own (HOME, SEALKIT_HOME, no KUBECONFIG).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
// yaml is a dependency of the CLI, not of the workspace root these tests run from.
import { parseAllDocuments } from '../../packages/cli/node_modules/yaml/dist/index.js';
import { Keyring, generateKeyPair, type GeneratedKeyPair } from '../../packages/core/src/index.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = join(repoRoot, 'packages/cli/bin/sealkit.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface RunOptions {
  input?: string | Uint8Array;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Run under this umask (through sh), so that file modes do not depend on the runner's. */
  umask?: string;
  /** A command that runs sealkit in its stead, e.g. setpriv to run as another user. */
  via?: string[];
}

/** Runs sealkit asynchronously, so servers in this process (fake cluster, controller) can answer it. */
export function runIn(sandbox: Sandbox | undefined, args: string[], options: RunOptions = {}): Promise<RunResult> {
  let command = [process.execPath, bin, ...args];
  if (options.umask) command = ['sh', '-c', `umask ${options.umask}; exec "$0" "$@"`, ...command];
  if (options.via) command = [...options.via, ...command];
  return runCommand(sandbox, command, options);
}

/** Runs any command (sealkit, or a reference binary) in the sandbox, collecting its output. */
export function runCommand(sandbox: Sandbox | undefined, command: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((done, fail) => {
    const child = spawn(command[0]!, command.slice(1), {
      cwd: options.cwd ?? sandbox?.dir,
      env: { PATH: process.env.PATH, ...sandbox?.env, ...options.env } as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', fail);
    child.on('close', (code) => {
      const stdoutBytes = Buffer.concat(out);
      done({ code: code ?? -1, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes });
    });
    child.stdin.on('error', () => {}); // the command may exit before reading all of stdin
    child.stdin.end(options.input ?? '');
  });
}

/** A private HOME (no kubeconfig) and SEALKIT_HOME, removed by cleanup(). */
export class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), 'sealkit-cli-test-'));
  readonly home = join(this.dir, 'home');
  readonly sealkitHome = join(this.dir, 'sealkit');
  readonly env: Record<string, string>;

  constructor() {
    mkdirSync(this.home);
    this.env = { HOME: this.home, SEALKIT_HOME: this.sealkitHome };
  }

  run(args: string[], options?: RunOptions): Promise<RunResult> {
    return runIn(this, args, options);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  write(name: string, content: string | Uint8Array): string {
    const path = this.path(name);
    mkdirSync(dirname(path), { recursive: true });
    // 0600 like any file that may hold a private key: sealkit warns about readable ones.
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  }

  read(name: string): string {
    return readFileSync(this.path(name), 'utf8');
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A 2048-bit key pair (fast; the key size does not matter to these tests), written as cert.pem and key.pem. */
export interface KeyFiles extends GeneratedKeyPair {
  certFile: string;
  keyFile: string;
  keyring: Keyring;
}

export async function makeKeyFiles(
  sandbox: Sandbox,
  prefix = '',
  options: { notBefore?: Date; validDays?: number } = {},
): Promise<KeyFiles> {
  const pair = await generateKeyPair({ bits: 2048, ...options });
  return {
    ...pair,
    certFile: sandbox.write(`${prefix}cert.pem`, pair.certificatePem),
    keyFile: sandbox.write(`${prefix}key.pem`, pair.privateKeyPem),
    keyring: await Keyring.from(pair.certificatePem + pair.privateKeyPem),
  };
}

/**
 * The sandbox and key pair most test files share: the sandbox made now, the keys (cert.pem, key.pem)
 * made before the file's tests and the sandbox removed after them. `keys` is filled in by then:
 * read it inside tests and hooks (a beforeAll of the file's own runs after this one's).
 */
export function useSandboxWithKeys(): { sandbox: Sandbox; keys: KeyFiles } {
  const sandbox = new Sandbox();
  const keys = {} as KeyFiles;
  beforeAll(async () => {
    Object.assign(keys, await makeKeyFiles(sandbox));
  });
  afterAll(() => sandbox.cleanup());
  return { sandbox, keys };
}

/** Every document of a YAML (or JSON) text. */
export function documents(text: string): Record<string, any>[] {
  return parseAllDocuments(text)
    .filter((document) => document.contents !== null)
    .map((document) => document.toJS() as Record<string, any>);
}

/** A SealedSecret s in namespace n with no values and one template, `x`: JSON text. */
export const sealedWithTemplate = (template: string): string =>
  JSON.stringify({
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { name: 's', namespace: 'n' },
    spec: { encryptedData: {}, template: { metadata: { name: 's', namespace: 'n' }, data: { x: template } } },
  });

export function secretYaml(name: string, namespace: string | undefined, stringData: Record<string, string>, extra = ''): string {
  const lines = ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${name}`];
  if (namespace) lines.push(`  namespace: ${namespace}`);
  lines.push('stringData:', ...Object.entries(stringData).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`));
  return `${lines.join('\n')}\n${extra}`;
}

export const decode = (base64: string) => Buffer.from(base64, 'base64').toString('utf8');

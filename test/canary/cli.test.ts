// Leak canaries for the built `sealkit` (pnpm build first): every command runs with a
// recognisable secret value and recognisable private keys, and every byte it leaves behind
// is searched for them: stdout, stderr, and every file it created or changed under the
// sandbox (HOME, SEALKIT_HOME, TMPDIR and the working directory). The value may only
// appear where the user asked for plaintext (unseal's output; edit's temporary file while
// the editor runs, copied out by a fake editor), private keys only where the user asked
// for them (the local keyring's 0600 files, keys --export); temporary files must be gone
// on every exit path, signals and crashing editors included.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Keyring, generateKeyPair, unsealSecret } from '../../packages/core/src/index.js';
import { startKubeApiServer, type KubeApiServer } from '../kube-api-server/index.js';
import { Sandbox, bin, documents } from '../cli/helpers.js';
import {
  alignedBase64,
  canaryKey,
  canaryLabels,
  canaryValue,
  findCanaries,
  keyCanary,
  makeCanaryValue,
  registeredCanaries,
  snapshotTree,
  treeChanges,
  type KeyCanary,
  type TreeChange,
} from './capture.js';

const WITNESS = 'witness'; // the fake editor's notes: outside what is scanned
const edited = makeCanaryValue('edited');
const merged = makeCanaryValue('merged');

let sandbox: Sandbox;
let key: KeyCanary; // the --key / --recovery-private-key file, key.pem
let otherKey: KeyCanary; // a key that opens nothing here, wrong.pem
let localKey: KeyCanary; // made by `sealkit keygen` in SEALKIT_HOME
let keyring: Keyring; // opens what key.pem opens
let keygenRun: Captured;
let sealedYaml: string; // secret.yaml sealed to cert.pem: prod/app, password + username
let sealedLocal: string; // the same, sealed with the local keyring

const secretYaml = (value: string, name = 'app') =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: prod\ntype: Opaque\nstringData:\n  password: ${value}\n  username: admin\n`;

// ---------------------------------------------------------------------------------------
// Running sealkit and capturing everything

interface Captured {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  /** What changed under the sandbox (witness excluded). */
  changes: TreeChange[];
}

interface RunSpec {
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Its own process group, so that a signal can go to sealkit and its editor as a terminal sends it. */
  detached?: boolean;
  /** Run while sealkit runs (e.g. to send it signals). */
  during?: (child: ChildProcess) => Promise<void>;
  /** stdin, stdout and stderr on a pseudo-terminal (stdout then holds all the terminal showed). */
  tty?: boolean;
}

// A pseudo-terminal for sealkit: prints all it (and its editor) showed, exits with its status.
const PTY_SCRIPT = `
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b''
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status) & 0xff)
`;

function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, ...sandbox.env, TMPDIR: sandbox.path('tmp'), ...extra } as NodeJS.ProcessEnv;
}

async function capture(args: string[], spec: RunSpec = {}): Promise<Captured> {
  const before = snapshotTree(sandbox.dir, [WITNESS]);
  const [command, argv] = spec.tty ? ['python3', ['-c', PTY_SCRIPT, process.execPath, bin, ...args]] : [process.execPath, [bin, ...args]];
  const child = spawn(command, argv, {
    cwd: sandbox.dir,
    env: environment(spec.env),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: spec.detached,
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin!.on('error', () => {}); // sealkit may exit before reading stdin
  child.stdin!.end(spec.input ?? '');
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  await spec.during?.(child);
  const { code, signal } = await closed;
  const changes = treeChanges(before, snapshotTree(sandbox.dir, [WITNESS]));
  return { args, code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err), changes };
}

interface FileRule {
  /** Relative to the sandbox. */
  path: string | RegExp;
  /** Canary labels the file may hold. */
  may?: string[];
  /** Its required permission bits. */
  mode?: number;
}

interface Allowed {
  /** Canary labels stdout may hold. */
  stdout?: string[];
  /** The files the command may create or change; anything else it leaves behind is a failure. */
  files?: FileRule[];
}

const matches = (rule: FileRule, path: string) => (typeof rule.path === 'string' ? rule.path === path : rule.path.test(path));

/** Every canary in the output and in the files written, and every unexpected file, as readable lines. */
function leaks(result: Captured, allowed: Allowed = {}): string[] {
  const problems: string[] = [];
  const report = (where: string, findings: string[], may: string[] = []) => {
    const bad = findings.filter((finding) => !may.includes(finding.split(':')[0]!));
    if (bad.length > 0) problems.push(`${where} holds ${bad.join(', ')}`);
  };
  report('stderr', findCanaries(result.stderr));
  report('stdout', findCanaries(result.stdout), allowed.stdout);
  for (const change of result.changes) {
    if (change.change === 'removed') continue;
    const rule = allowed.files?.find((candidate) => matches(candidate, change.path));
    if (!rule) {
      problems.push(`left ${change.change === 'added' ? 'a new' : 'a changed'} ${change.entry!.kind} behind: ${change.path}`);
      continue;
    }
    if (rule.mode !== undefined && change.entry!.mode !== rule.mode)
      problems.push(`${change.path} has mode ${change.entry!.mode.toString(8)}, not ${rule.mode.toString(8)}`);
    if (change.entry!.kind === 'file') report(change.path, findCanaries(readFileSync(sandbox.path(change.path))), rule.may);
  }
  return problems;
}

function expectNoLeaks(result: Captured, allowed: Allowed = {}): void {
  const where = `sealkit ${result.args.join(' ')}\n--- stderr:\n${result.stderr.toString('utf8').slice(0, 2000)}`;
  expect(leaks(result, allowed), where).toEqual([]);
}

const text = (bytes: Buffer) => bytes.toString('utf8');

/** The opened data of a SealedSecret text (one document), decoded as UTF-8. */
async function opened(sealed: string, keys: Keyring = keyring): Promise<Record<string, string>> {
  const secret = await unsealSecret(documents(sealed)[0]!, keys);
  return Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

// ---------------------------------------------------------------------------------------
// The fake editor: notes what it was shown (and where) in witness/, then acts as told by
// $EDITOR_ACTIONS, one action per visit (the last repeats): replace text, write content,
// wait for witness/release, exit with a status, crash, or kill itself with a signal.

const EDITOR_SCRIPT = `
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
const file = process.argv[2];
const dir = process.env.WITNESS_DIR;
const visits = join(dir, 'visits.jsonl');
const visit = existsSync(visits) ? readFileSync(visits, 'utf8').split('\\n').filter(Boolean).length : 0;
const text = readFileSync(file, 'utf8');
appendFileSync(visits, JSON.stringify({ file, mode: statSync(file).mode & 0o777, dirMode: statSync(dirname(file)).mode & 0o777, text, pid: process.pid }) + '\\n');
const actions = JSON.parse(process.env.EDITOR_ACTIONS ?? '[{}]');
const action = actions[Math.min(visit, actions.length - 1)];
function finish() {
  if (action.crash) throw new Error('the fake editor crashed');
  if (action.kill) process.kill(process.pid, action.kill);
  let out = action.content ?? text;
  for (const [from, to] of action.replace ?? []) {
    if (!out.includes(from)) { process.stderr.write('fake editor: a text to replace is missing\\n'); process.exit(99); }
    out = out.split(from).join(to);
  }
  try { writeFileSync(file, out); } catch { process.exit(98); }
  process.exit(action.exit ?? 0);
}
if (action.wait) {
  const started = Date.now();
  const poll = () => (existsSync(join(dir, 'release')) || Date.now() - started > 20000 ? finish() : setTimeout(poll, 20));
  poll();
} else finish();
`;

interface Visit {
  file: string;
  mode: number;
  dirMode: number;
  text: string;
  pid: number;
}

interface EditorAction {
  replace?: [string, string][];
  content?: string;
  exit?: number;
  crash?: boolean;
  kill?: NodeJS.Signals;
  wait?: boolean;
}

const witness = (name = '') => sandbox.path(join(WITNESS, name));

function visits(): Visit[] {
  if (!existsSync(witness('visits.jsonl'))) return [];
  // Whole lines only: the editor may be writing one as it is read.
  return readFileSync(witness('visits.jsonl'), 'utf8')
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as Visit);
}

function editorEnv(actions: EditorAction[]): Record<string, string> {
  return { EDITOR: `'${process.execPath}' '${witness('editor.mjs')}'`, WITNESS_DIR: witness(), EDITOR_ACTIONS: JSON.stringify(actions) };
}

async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** What every edit must show: the plaintext was in a 0600 file in a private directory under TMPDIR, now gone. */
function expectPlaintextShownThenGone(shown: Visit[]): void {
  expect(shown.length, 'the editor ran').toBeGreaterThan(0);
  for (const visit of shown) {
    expect(canaryLabels(findCanaries(visit.text)), 'the editor saw the plaintext').toContain('value');
    expect(visit.mode).toBe(0o600);
    expect(visit.dirMode).toBe(0o700);
    expect(dirname(dirname(visit.file)), 'the temporary directory is under $TMPDIR').toBe(sandbox.path('tmp'));
    expect(existsSync(visit.file), `${visit.file} is gone`).toBe(false);
    expect(existsSync(dirname(visit.file)), `${dirname(visit.file)} is gone`).toBe(false);
  }
  expect(readdirSync(sandbox.path('tmp'))).toEqual([]);
}

// ---------------------------------------------------------------------------------------

beforeAll(async () => {
  sandbox = new Sandbox();
  mkdirSync(sandbox.path('tmp'), { mode: 0o700 });
  mkdirSync(witness(), { recursive: true });
  writeFileSync(witness('editor.mjs'), EDITOR_SCRIPT);
  const other = await generateKeyPair({ bits: 2048 });
  key = await canaryKey();
  otherKey = keyCanary(other.privateKeyPem, 'other-key', other.certificatePem);
  keyring = await Keyring.from(key.certificatePem! + key.privateKeyPem);
  sandbox.write('cert.pem', key.certificatePem!);
  sandbox.write('key.pem', key.privateKeyPem);
  sandbox.write('wrong.pem', otherKey.privateKeyPem);
  sandbox.write('secret.yaml', secretYaml(canaryValue.value));
  sandbox.write(
    'merge.yaml',
    `apiVersion: v1\nkind: Secret\nmetadata: {name: app, namespace: prod}\nstringData:\n  extra: ${merged.value}\n`,
  );

  keygenRun = await capture(['keygen', '--key-size', '2048']);
  const [keyFile] = readdirSync(sandbox.path('sealkit/keys'));
  const backup = documents(readFileSync(sandbox.path(`sealkit/keys/${keyFile}`), 'utf8'))[0]!;
  localKey = keyCanary(Buffer.from(backup.data['tls.key'], 'base64').toString('utf8'), 'local-key');

  sealedYaml = text((await capture(['--cert', 'cert.pem', '-o', 'yaml', '-f', 'secret.yaml'])).stdout);
  sealedLocal = text((await capture(['-o', 'yaml', '-f', 'secret.yaml'])).stdout);
  sandbox.write('sealed.yaml', sealedYaml);
  sandbox.write('sealed-local.yaml', sealedLocal);
});

afterAll(() => sandbox?.cleanup());

describe('the canary search itself', () => {
  it('finds the value in every form it could leak in, and nothing in its sealed form', async () => {
    const { value } = canaryValue;
    const bytes = Buffer.from(value);
    const found = (data: string | Uint8Array) => canaryLabels(findCanaries(data, [canaryValue]));
    for (const sample of [
      `error: bad value "${value}"`,
      `Unexpected token 'C', "${value.slice(0, 20)}"... is not valid JSON`,
      JSON.stringify({ data: { password: bytes.toString('base64') } }),
      Buffer.concat([Buffer.from('x'), bytes]).toString('base64'),
      Buffer.concat([Buffer.from('xy'), bytes, Buffer.from('z')]).toString('base64'),
      Buffer.concat([Buffer.from('xy'), bytes]).toString('base64url'),
      bytes.toString('hex'),
      Buffer.from(value, 'utf16le'),
      encodeURIComponent(Buffer.concat([Buffer.from('?'), bytes]).toString('base64')),
      Buffer.from(`k: ${value}\n`),
    ]) {
      expect(found(sample), String(sample)).toEqual(['value']);
    }
    const bytesAt = (before: number, after: number) =>
      Buffer.concat([Buffer.alloc(before, 7), bytes, Buffer.alloc(after, 9)]).toString('base64');
    alignedBase64(bytes).forEach((form, shift) => {
      expect(form.length).toBeGreaterThanOrEqual(32);
      for (const before of [shift, shift + 3, shift + 30]) for (const after of [0, 1, 2]) expect(bytesAt(before, after)).toContain(form);
    });
    expect(found(sealedYaml)).toEqual([]);
    expect(found(`${value.slice(0, 10)} ${Buffer.from('an unrelated text').toString('base64')}`)).toEqual([]);
  });

  it('finds a private key in PEM, PKCS#8, DER, JWK, hex and key backups, but not in its certificate or public key', async () => {
    const { createPrivateKey, createPublicKey } = await import('node:crypto');
    const found = (data: string | Uint8Array) => canaryLabels(findCanaries(data, [key]));
    const privateKey = createPrivateKey(key.privateKeyPem);
    const jwk = privateKey.export({ format: 'jwk' });
    const rewrapped = key.privateKeyPem
      .replace(/\n/g, '')
      .replace(/(-----)([A-Za-z0-9+/=]+)(-----END)/, (_, a, body: string, b) => `${a}\n${body.replace(/(.{76})/g, '$1\n')}\n${b}`);
    for (const sample of [
      key.privateKeyPem,
      rewrapped,
      privateKey.export({ type: 'pkcs8', format: 'pem' }),
      privateKey.export({ type: 'pkcs1', format: 'der' }),
      JSON.stringify(jwk),
      Buffer.from(jwk.d!, 'base64url').toString('hex'),
      JSON.stringify({ pem: key.privateKeyPem }),
      `tls.key: ${Buffer.from(key.privateKeyPem).toString('base64')}\n`,
    ]) {
      expect(found(sample), String(sample).slice(0, 80)).toEqual(['key']);
    }
    expect(found(key.certificatePem!)).toEqual([]);
    expect(found(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }))).toEqual([]);
    expect(found(otherKey.privateKeyPem)).toEqual([]);
  });

  it('sees every file a command leaves behind (the snapshot diff works)', async () => {
    const before = snapshotTree(sandbox.dir, [WITNESS]);
    writeFileSync(sandbox.path('tmp/probe'), canaryValue.value);
    mkdirSync(sandbox.path('tmp/dir'));
    const after = snapshotTree(sandbox.dir, [WITNESS]);
    rmSync(sandbox.path('tmp/probe'));
    rmSync(sandbox.path('tmp/dir'), { recursive: true });
    const result: Captured = {
      args: ['(none)'],
      code: 0,
      signal: null,
      stdout: Buffer.from(canaryValue.base64),
      stderr: Buffer.alloc(0),
      changes: treeChanges(before, after),
    };
    writeFileSync(sandbox.path('tmp/probe'), canaryValue.value);
    try {
      expect(leaks(result)).toEqual(['stdout holds value:base64@0', 'left a new dir behind: tmp/dir', 'left a new file behind: tmp/probe']);
    } finally {
      rmSync(sandbox.path('tmp/probe'));
    }
  });

  it('sees the value in the inputs and the keys in their files, so the scans below can fail', () => {
    expect(canaryLabels(findCanaries(readFileSync(sandbox.path('secret.yaml'))))).toEqual(['value']);
    expect(canaryLabels(findCanaries(readFileSync(sandbox.path('key.pem'))))).toEqual(['key']);
    const [keyFile] = readdirSync(sandbox.path('sealkit/keys'));
    expect(canaryLabels(findCanaries(readFileSync(sandbox.path(`sealkit/keys/${keyFile}`))))).toEqual(['local-key']);
    expect(findCanaries(localKey.privateKeyPem, [localKey]).length).toBeGreaterThanOrEqual(6);
    expect(registeredCanaries().map((canary) => canary.label)).toEqual(
      expect.arrayContaining(['value', 'edited', 'merged', 'key', 'other-key', 'local-key']),
    );
  });
});

// ---------------------------------------------------------------------------------------

describe('seal', () => {
  const out = { files: [{ path: /^out\.(yaml|json)$/ }] };

  it.each([
    ['stdin, YAML in and out', ['--cert', 'cert.pem', '-o', 'yaml'], 'yaml'],
    ['stdin, JSON in, JSON out', ['--cert', 'cert.pem'], 'json'],
    ['the local keyring', ['-o', 'yaml'], 'yaml'],
    ['--debug', ['--cert', 'cert.pem', '--debug'], 'yaml'],
    ['--scope cluster-wide', ['--cert', 'cert.pem', '--scope', 'cluster-wide'], 'yaml'],
    ['data (base64) instead of stringData', ['--cert', 'cert.pem'], 'data'],
  ])('%s', async (_, args, input) => {
    const manifest =
      input === 'json'
        ? JSON.stringify(documents(secretYaml(canaryValue.value))[0])
        : input === 'data'
          ? `apiVersion: v1\nkind: Secret\nmetadata: {name: app, namespace: prod}\ndata:\n  password: ${canaryValue.base64}\n`
          : secretYaml(canaryValue.value);
    const result = await capture(args, { input: manifest });
    expect(result.code).toBe(0);
    expectNoLeaks(result);
    const keys = args.includes('cert.pem')
      ? keyring
      : await Keyring.from(readFileSync(sandbox.path(`sealkit/keys/${readdirSync(sandbox.path('sealkit/keys'))[0]}`), 'utf8'));
    expect((await opened(text(result.stdout), keys)).password).toBe(canaryValue.value);
  });

  it('-f FILE -w FILE: the written file holds no canary and no temporary is left', async () => {
    const result = await capture(['--cert', 'cert.pem', '-f', 'secret.yaml', '-w', 'out.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBe(0);
    expectNoLeaks(result, out);
    expect(result.changes.map((change) => change.path)).toEqual(['out.yaml']);
    expect((await opened(sandbox.read('out.yaml'))).password).toBe(canaryValue.value);
  });

  it('several documents and a v1 List', async () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: documents(secretYaml(canaryValue.value)).concat(documents(secretYaml(edited.value, 'two'))),
    });
    for (const input of [`${secretYaml(canaryValue.value)}---\n${secretYaml(edited.value, 'two')}`, list]) {
      const result = await capture(['--cert', 'cert.pem', '-o', 'yaml'], { input });
      expect(result.code).toBe(0);
      expectNoLeaks(result);
    }
  });

  it('--raw from stdin, --from-literal and --from-file', async () => {
    sandbox.write('value.txt', canaryValue.value);
    for (const [args, input] of [
      [['--raw', '-n', 'prod', '--name', 'app'], canaryValue.value],
      [['--raw', '-n', 'prod', '--name', 'app', '--from-literal', `password=${canaryValue.value}`], ''],
      [['--raw', '--scope', 'namespace-wide', '-n', 'prod', '--from-file', 'value.txt'], ''],
      [['--raw', '--scope', 'cluster-wide', '--from-file', 'password=value.txt', '--debug'], ''],
    ] as [string[], string][]) {
      const result = await capture(['--cert', 'cert.pem', ...args], { input });
      expect(result.code, args.join(' ')).toBe(0);
      expectNoLeaks(result);
      const scope = args.includes('cluster-wide') ? 'cluster-wide' : args.includes('namespace-wide') ? 'namespace-wide' : 'strict';
      const plain = await keyring.open(text(result.stdout), { namespace: 'prod', name: 'app', scope });
      expect(Buffer.from(plain.plaintext).toString()).toBe(canaryValue.value);
    }
  });

  it('a Secret built from --from-literal, --from-file (file and directory) and --from-env-file', async () => {
    sandbox.write('values/password', canaryValue.value);
    sandbox.write('values/token', edited.value);
    sandbox.write('app.env', `# comment\nPASSWORD=${canaryValue.value}\nTOKEN=${edited.value}\n`);
    for (const args of [
      ['--from-literal', `password=${canaryValue.value}`],
      ['--from-file', 'password=values/password', '--from-file', 'values/token'],
      ['--from-file', 'values'],
      ['--from-env-file', 'app.env', '--debug'],
    ]) {
      const result = await capture(['--cert', 'cert.pem', '--name', 'app', '-n', 'prod', '-o', 'yaml', ...args]);
      expect(result.code, args.join(' ')).toBe(0);
      expectNoLeaks(result);
      expect(Object.values(await opened(text(result.stdout)))).toContain(canaryValue.value);
    }
  });

  it('--cert as a file:// URL and as an http URL of a local server', async () => {
    const server: Server = createServer((_, response) => response.end(key.certificatePem));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/cert.pem`;
      for (const cert of [pathToFileURL(sandbox.path('cert.pem')).href, url]) {
        const result = await capture(['--cert', cert, '-o', 'yaml'], { input: secretYaml(canaryValue.value) });
        expect(result.code).toBe(0);
        expectNoLeaks(result);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('with a private key file (or key backup) given as --cert, the SealedSecret still holds no key material', async () => {
    sandbox.write('backup.yaml', readFileSync(sandbox.path(`sealkit/keys/${readdirSync(sandbox.path('sealkit/keys'))[0]}`)));
    for (const cert of ['key.pem', 'backup.yaml']) {
      const result = await capture(['--cert', cert, '-o', 'yaml'], { input: secretYaml(canaryValue.value) });
      expectNoLeaks(result);
    }
  });
});

// Each failure runs twice: plain and with --debug (stack traces).
describe('seal: failures never echo the value or a key', () => {
  const v = canaryValue.value;
  const cases: [string, string[], string][] = [
    ['YAML with an unclosed quote on the value line', [], `kind: Secret\nmetadata: {name: a}\nstringData:\n  password: "${v}\n`],
    ['YAML with an unclosed bracket after the value', [], `kind: Secret\nstringData:\n  password: [${v}\n`],
    ['YAML with a tab before the value', [], `kind: Secret\nstringData:\n\tpassword: ${v}\n`],
    ['YAML with the value as a duplicate key', [], `kind: Secret\nstringData:\n  ${v}: a\n  ${v}: b\n`],
    ['JSON with a bare value', [], `{"kind": "Secret", "stringData": {"password": ${v}}}`],
    ['JSON with a trailing comma after the value', [], `{"kind": "Secret", "stringData": {"password": "${v}",}}`],
    [
      'a JSON stream whose second object is broken',
      [],
      `{"kind": "Secret", "metadata": {"name": "a", "namespace": "b"}, "stringData": {"p": "${v}"}}\n{"stringData": {"p": "${v}"`,
    ],
    ['JSON followed by text', [], `{"kind": "Secret", "stringData": {"p": "${v}"}} ${v}`],
    ['data that is not base64', [], `apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: b}\ndata:\n  password: "${v}!"\n`],
    [
      'stringData that is not a string',
      [],
      `apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: b}\nstringData:\n  password: {nested: ${v}}\n`,
    ],
    ['a Secret without a name', [], `apiVersion: v1\nkind: Secret\nstringData:\n  password: ${v}\n`],
    ['a ConfigMap', [], `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: b}\ndata:\n  password: ${v}\n`],
    ['a bare string', [], v],
    ['a list of values', [], `- ${v}\n- ${v}\n`],
    ['a List with a non-object item', [], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [v] })],
    [
      'too many YAML aliases',
      [],
      `a: &a [${v}, ${v}]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`,
    ],
    ['an invalid key name', [], `apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: b}\nstringData:\n  "bad key!": ${v}\n`],
    ['a second document that is broken', [], `${secretYaml(v)}---\nkind: Secret\nstringData:\n  password: [${v}\n`],
    ['--from-literal with a bad key', ['--name', 'a', '--from-literal', `bad key=${v}`], ''],
    ['--from-literal given twice', ['--name', 'a', '--from-literal', `k=${v}`, '--from-literal', `k=${v}`], ''],
    ['--from-literal without --name', ['--from-literal', `k=${v}`], ''],
    ['--from-env-file with a bad line', ['--name', 'a', '--from-env-file', 'bad.env'], ''],
    ['--raw (strict) without --name', ['--raw'], v],
    ['--raw with two values', ['--raw', '--name', 'a', '--from-literal', `a=${v}`, '--from-literal', `b=${v}`], ''],
    ['--raw and --validate together', ['--raw', '--validate', '--name', 'a'], v],
    ['the plaintext Secret given as --cert', ['--cert', 'secret.yaml'], secretYaml(v)],
    ['an expired certificate', ['--cert', 'expired.pem'], secretYaml(v)],
    ['-w into a missing directory', ['-w', 'missing/dir/out.yaml'], secretYaml(v)],
    ['an unknown --scope', ['-f', 'secret.yaml', '--scope', 'bogus'], ''],
  ];

  beforeAll(async () => {
    sandbox.write('bad.env', `GOOD=1\nbad name=${v}\n${v}\n`);
    const expired = await generateKeyPair({ bits: 2048, validDays: 1, notBefore: new Date('2020-01-01') });
    sandbox.write('expired.pem', expired.certificatePem);
  });

  it.each(cases)('%s (plain and --debug)', async (_, args, input) => {
    const certArgs = args.includes('--cert') ? [] : ['--cert', 'cert.pem'];
    // Both at once (they write nothing, so their snapshots stay apart): half the time on two cores.
    const [plain, debugging] = await Promise.all([
      capture([...certArgs, ...args], { input }),
      capture([...certArgs, ...args, '--debug'], { input }),
    ]);
    for (const result of [plain, debugging]) {
      expect(result.code, text(result.stderr)).not.toBe(0);
      expect(text(result.stderr)).toMatch(/^(debug: .*\n)*error: /);
      expect(result.stdout.length).toBe(0);
      expectNoLeaks(result);
    }
    expect(text(plain.stderr).split('\n').length, 'one line').toBe(2);
    expect(text(debugging.stderr), 'a stack trace').toMatch(/\n {4}at /);
  });
});

// ---------------------------------------------------------------------------------------

describe('unseal: plaintext only on stdout or in the 0600 file asked for', () => {
  const plaintextOut = { stdout: ['value'] };

  it.each([
    ['--key FILE < stdin', ['unseal', '--key', 'key.pem']],
    ['a file argument, YAML out', ['unseal', 'sealed.yaml', '--key', 'key.pem', '-o', 'yaml']],
    ['the local keyring', ['unseal', 'sealed-local.yaml']],
    ['--recovery-unseal', ['--recovery-unseal', '--recovery-private-key', 'key.pem']],
    ['--debug', ['unseal', '--key', 'key.pem', '--debug']],
  ])('%s', async (_, args) => {
    const result = await capture(args, { input: sealedYaml });
    expect(result.code, text(result.stderr)).toBe(0);
    expect(canaryLabels(findCanaries(result.stdout)), 'the plaintext was asked for').toEqual(['value']);
    expectNoLeaks(result, plaintextOut);
  });

  it('--raw prints the one value, nothing else', async () => {
    const sealedValue = await keyring.seal(new TextEncoder().encode(canaryValue.value), { namespace: 'prod', name: 'app' });
    const result = await capture(['unseal', '--raw', '-n', 'prod', '--name', 'app', '--key', 'key.pem'], { input: sealedValue });
    expect(text(result.stdout)).toBe(canaryValue.value);
    expectNoLeaks(result, plaintextOut);
  });

  it('-w FILE: the plaintext goes only into that file, made 0600 even when it existed with 0644', async () => {
    sandbox.write('plain.yaml', 'old\n');
    chmodSync(sandbox.path('plain.yaml'), 0o644);
    for (const args of [
      ['unseal', 'sealed.yaml', '--key', 'key.pem', '-w', 'plain.yaml'],
      ['unseal', 'sealed.yaml', '--key', 'key.pem', '-w', 'plain-new.json'],
    ]) {
      const result = await capture(args);
      expect(result.code, text(result.stderr)).toBe(0);
      expect(result.stdout.length).toBe(0);
      expectNoLeaks(result, { files: [{ path: /^plain(-new)?\.(yaml|json)$/, may: ['value'], mode: 0o600 }] });
      expect(canaryLabels(findCanaries(readFileSync(sandbox.path(args.at(-1)!))))).toEqual(['value']);
    }
  });

  it('-w onto a directory: the write fails and its temporary file (plaintext, or private keys) is gone', async () => {
    mkdirSync(sandbox.path('a-directory'), { recursive: true });
    for (const args of [
      ['unseal', 'sealed.yaml', '--key', 'key.pem', '-w', 'a-directory'],
      ['keys', '--export', '-w', 'a-directory', '--debug'],
    ]) {
      const result = await capture(args);
      expect(result.code).toBe(1);
      expect(text(result.stderr)).toMatch(/^error: Cannot write the file "a-directory": it is a directory\.\n/);
      expectNoLeaks(result);
    }
  });

  it('a spec.template.data that renders the value prints it only on stdout', async () => {
    const templated = `${sealedYaml.trimEnd()}\n    data:\n      dsn: 'user={{ .username }} password={{ .password }}'\n`;
    const result = await capture(['unseal', '--key', 'key.pem'], { input: templated });
    expect(result.code, text(result.stderr)).toBe(0);
    expectNoLeaks(result, plaintextOut);
  });
});

describe('opening failures never echo the value or a key', () => {
  const tamper = (sealed: string) =>
    sealed.replace(/(password: [A-Za-z0-9+/]{300})(.)/, (_, head: string, c: string) => head + (c === 'A' ? 'B' : 'A'));
  const cases: [string, string[], string | (() => string)][] = [
    ['a key that does not open it', ['unseal', '--key', 'wrong.pem'], () => sealedYaml],
    ['a tampered ciphertext', ['unseal', '--key', 'key.pem'], () => tamper(sealedYaml)],
    [
      'a strict value moved to another name (wrong scope)',
      ['unseal', '--key', 'key.pem'],
      () => sealedYaml.replace(/name: app/g, 'name: moved'),
    ],
    [
      'a strict value marked cluster-wide (wrong scope)',
      ['unseal', '--key', 'key.pem'],
      () => sealedYaml.replace('metadata:\n', 'metadata:\n  annotations:\n    sealedsecrets.bitnami.com/cluster-wide: "true"\n'),
    ],
    [
      '--raw for another name',
      ['unseal', '--raw', '-n', 'prod', '--name', 'other', '--key', 'key.pem'],
      () => /password: (\S+)/.exec(sealedYaml)![1]!,
    ],
    [
      '--raw with the wrong key',
      ['unseal', '--raw', '-n', 'prod', '--name', 'app', '--key', 'wrong.pem'],
      () => /password: (\S+)/.exec(sealedYaml)![1]!,
    ],
    ['the plaintext Secret given as the key file', ['unseal', '--key', 'secret.yaml'], () => sealedYaml],
    ['a key file cut short', ['unseal', '--key', 'cut.pem'], () => sealedYaml],
    ['a key file with a damaged number', ['unseal', '--key', 'damaged.pem'], () => sealedYaml],
    ['a key backup whose tls.key is damaged', ['unseal', '--key', 'damaged-backup.yaml'], () => sealedYaml],
    ['the certificate given as the key file', ['unseal', '--key', 'cert.pem'], () => sealedYaml],
    ['a plaintext Secret given to unseal', ['unseal', '--key', 'key.pem'], () => secretYaml(canaryValue.value)],
    ['a deprecated spec.data that is not JSON', ['unseal', '--key', 'key.pem'], () => deprecated.notJson],
    ['a deprecated spec.data whose Secret has data that is not base64', ['unseal', '--key', 'key.pem'], () => deprecated.badData],
    ['a deprecated spec.data whose Secret has a value that is not a string', ['unseal', '--key', 'key.pem'], () => deprecated.notString],
    [
      'a template that fails on the value',
      ['unseal', '--key', 'key.pem'],
      () =>
        `${sealedYaml.trimEnd()}\n    data:\n      x: '{{ mustRegexMatch (printf "%s(" .password) "a" }}{{ .password | mustFromJson }}'\n`,
    ],
    [
      'a template that fails on the value as JSON',
      ['unseal', '--key', 'key.pem'],
      () => `${sealedYaml.trimEnd()}\n    data:\n      x: '{{ .password | mustFromJson }}'\n`,
    ],
    ['--validate with the wrong key', ['--validate', '--recovery-private-key', 'wrong.pem'], () => sealedYaml],
    ['--validate of a tampered value', ['--validate', '--recovery-private-key', 'key.pem'], () => tamper(sealedYaml)],
    ['--re-encrypt with the wrong key', ['--re-encrypt', '--recovery-private-key', 'wrong.pem'], () => sealedYaml],
    ['--recovery-unseal with the wrong key', ['--recovery-unseal', '--recovery-private-key', 'wrong.pem'], () => sealedYaml],
    ['diff with a file that is a plaintext Secret', ['diff', 'sealed.yaml', 'secret.yaml', '--key', 'key.pem'], ''],
    ['edit with the wrong key (before any editor runs)', ['edit', 'sealed.yaml', '--key', 'wrong.pem'], ''],
    ['edit of a plaintext Secret', ['edit', 'secret.yaml', '--key', 'key.pem'], ''],
  ];

  const deprecated = { notJson: '', badData: '', notString: '' };

  beforeAll(async () => {
    // kubeseal's old format: the whole Secret, JSON-encoded, sealed as one value in spec.data.
    const sealedData = async (plaintext: string) =>
      `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: app\n  namespace: prod\nspec:\n  data: ${await keyring.seal(new TextEncoder().encode(plaintext), { namespace: 'prod', name: 'app' })}\n`;
    const inner = (data: object) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app', namespace: 'prod' }, ...data });
    deprecated.notJson = await sealedData(`{"password": ${canaryValue.value}}`);
    deprecated.badData = await sealedData(inner({ data: { password: `${canaryValue.value}!` } }));
    deprecated.notString = await sealedData(inner({ stringData: { password: { nested: canaryValue.value } } }));
    const lines = key.privateKeyPem.trimEnd().split('\n');
    sandbox.write('cut.pem', `${lines.slice(0, 12).join('\n')}\n${lines.at(-1)}\n`);
    // Every private line changed (d alone would not do: OpenSSL decrypts with p, q and the CRT numbers).
    const damaged = new Set(key.bodySubstrings.map((line) => lines.indexOf(line)));
    sandbox.write(
      'damaged.pem',
      lines.map((line, i) => (damaged.has(i) ? line.slice(0, 10) + (line[10] === 'A' ? 'B' : 'A') + line.slice(11) : line)).join('\n'),
    );
    const backup = readFileSync(sandbox.path(`sealkit/keys/${readdirSync(sandbox.path('sealkit/keys'))[0]}`), 'utf8');
    sandbox.write(
      'damaged-backup.yaml',
      backup.replace(/(tls\.key: )(\S{400})/, (_, head: string, body: string) => head + body.slice(0, 200)),
    );
  });

  it.each(cases)('%s (plain and --debug)', async (_, args, input) => {
    const run = (extra: string[]) =>
      capture([...args, ...extra], { input: typeof input === 'function' ? input() : input, env: editorEnv([{}]) });
    for (const result of await Promise.all([run([]), run(['--debug'])])) {
      expect(result.code, text(result.stderr)).not.toBe(0);
      expect(text(result.stderr)).toMatch(/^(debug: .*\n|\(sealkit: .*\n)*error: /);
      expectNoLeaks(result);
    }
    expect(visits(), 'no editor ran').toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------

describe('--merge-into, diff, --validate, --re-encrypt', () => {
  beforeEach(() => {
    sandbox.write('target.yaml', `# sealed by CI\n${sealedYaml}`);
  });

  it('--merge-into: the file gains the sealed key, no canary, no temporary left', async () => {
    const result = await capture(['--cert', 'cert.pem', '--merge-into', 'target.yaml', '-f', 'merge.yaml']);
    expect(result.code, text(result.stderr)).toBe(0);
    expectNoLeaks(result, { files: [{ path: 'target.yaml' }] });
    expect(await opened(sandbox.read('target.yaml'))).toMatchObject({ password: canaryValue.value, extra: merged.value });
  });

  it("--merge-into failures (a scope other than the target's, bad input) leave the file as it was", async () => {
    const before = sandbox.read('target.yaml');
    for (const [args, input] of [
      [['--scope', 'cluster-wide', '-f', 'merge.yaml'], ''],
      [[], `kind: Secret\nstringData:\n  extra: [${merged.value}\n`],
      [['--debug'], `apiVersion: v1\nkind: Secret\nmetadata: {name: app, namespace: prod}\ndata:\n  extra: "${merged.value}!"\n`],
    ] as [string[], string][]) {
      const result = await capture(['--cert', 'cert.pem', '--merge-into', 'target.yaml', ...args], { input });
      expect(result.code).not.toBe(0);
      expectNoLeaks(result);
    }
    expect(sandbox.read('target.yaml')).toBe(before);
  });

  it('diff names keys, never values, with and without keys', async () => {
    sandbox.write('new.yaml', text((await capture(['--cert', 'cert.pem', '-o', 'yaml'], { input: secretYaml(edited.value) })).stdout));
    sandbox.write('resealed.yaml', text((await capture(['--cert', 'cert.pem', '-o', 'yaml', '-f', 'secret.yaml'])).stdout));
    for (const args of [
      ['diff', 'sealed.yaml', 'new.yaml', '--key', 'key.pem'],
      ['diff', 'sealed.yaml', 'resealed.yaml', '--key', 'key.pem', '--debug'],
      ['diff', 'sealed.yaml', 'new.yaml'],
      ['diff', 'sealed-local.yaml', 'new.yaml', '--key', 'wrong.pem'],
    ]) {
      const result = await capture(args);
      expect(result.code, text(result.stderr)).toBeLessThan(2);
      expectNoLeaks(result);
    }
  });

  it('--validate with key files and with the local keyring', async () => {
    for (const [args, input] of [
      [['--validate', '--recovery-private-key', 'key.pem'], sealedYaml],
      [['--validate', '--debug'], sealedLocal],
    ] as [string[], string][]) {
      const result = await capture(args, { input });
      expect(result.code, text(result.stderr)).toBe(0);
      expectNoLeaks(result);
    }
  });

  it('--re-encrypt to stdout and in place (-f): new ciphertexts, same plaintext, no canary', async () => {
    const piped = await capture(['--re-encrypt', '--recovery-private-key', 'key.pem', '-o', 'yaml'], { input: sealedYaml });
    expect(piped.code, text(piped.stderr)).toBe(0);
    expectNoLeaks(piped);
    expect((await opened(text(piped.stdout))).password).toBe(canaryValue.value);
    const inPlace = await capture(['--re-encrypt', '-f', 'target.yaml', '--debug']);
    expect(inPlace.code, text(inPlace.stderr)).toBe(1); // sealed to cert.pem: the local keyring cannot open it
    expectNoLeaks(inPlace);
    sandbox.write('target-local.yaml', sealedLocal);
    const local = await capture(['--re-encrypt', '-f', 'target-local.yaml']);
    expect(local.code, text(local.stderr)).toBe(0);
    expectNoLeaks(local, { files: [{ path: 'target-local.yaml' }] });
  });
});

// ---------------------------------------------------------------------------------------

describe('edit: the plaintext only in a 0600 temporary file, gone on every exit path', () => {
  beforeEach(() => {
    for (const name of ['visits.jsonl', 'release']) rmSync(witness(name), { force: true });
    sandbox.write('app.yaml', sealedYaml);
  });

  const editArgs = ['edit', 'app.yaml', '--key', 'key.pem'];
  const changeValue: EditorAction = { replace: [[canaryValue.value, edited.value]] };

  it('a successful edit: the file is resealed, holds no canary, and the temporary file is gone', async () => {
    const result = await capture(editArgs, { env: editorEnv([changeValue]) });
    expect(result.code, text(result.stderr)).toBe(0);
    expect(text(result.stdout)).toBe('Updated app.yaml: SealedSecret "prod/app": changed password.\n');
    expectNoLeaks(result, { files: [{ path: 'app.yaml' }] });
    expectPlaintextShownThenGone(visits());
    expect((await opened(sandbox.read('app.yaml'))).password).toBe(edited.value);
  });

  it('with the local keyring and --debug', async () => {
    sandbox.write('app.yaml', sealedLocal);
    const result = await capture(['edit', 'app.yaml', '--debug'], { env: editorEnv([changeValue]) });
    expect(result.code, text(result.stderr)).toBe(0);
    expectNoLeaks(result, { files: [{ path: 'app.yaml' }] });
    expectPlaintextShownThenGone(visits());
  });

  it.each([
    ['saved unchanged', [{}], 0],
    ['emptied (cancelled)', [{ content: '' }], 0],
    ['the editor exits with status 3', [{ ...changeValue, exit: 3 }], 1],
    ['the editor crashes', [{ crash: true }], 1],
    ['the editor is killed by SIGKILL', [{ kill: 'SIGKILL' }], 1],
    ['the editor is killed by SIGTERM', [{ kill: 'SIGTERM' }], 1],
    [
      'an invalid edit: broken YAML on the value line',
      [{ replace: [[`password: ${canaryValue.value}`, `password: "${canaryValue.value}`]] }],
      1,
    ],
    ['an invalid edit: data that is not base64', [{ replace: [['stringData:', `data:\n  extra: "${edited.value}!"\nstringData:`]] }], 1],
    ['an invalid edit: a renamed Secret', [{ replace: [['name: app', 'name: renamed']] }], 1],
    [
      'an invalid edit: a value that is not a string',
      [{ replace: [[`password: ${canaryValue.value}`, `password: {x: ${canaryValue.value}}`]] }],
      1,
    ],
  ] as [string, EditorAction[], number][])('%s: nothing changes, nothing leaks, the temporary file is gone', async (_, actions, code) => {
    for (const debugging of [false, true]) {
      rmSync(witness('visits.jsonl'), { force: true });
      const result = await capture([...editArgs, ...(debugging ? ['--debug'] : [])], { env: editorEnv(actions) });
      expect(result.code, text(result.stderr)).toBe(code);
      expectNoLeaks(result);
      expectPlaintextShownThenGone(visits());
      expect(sandbox.read('app.yaml')).toBe(sealedYaml);
    }
  });

  it('an editor that cannot be started', async () => {
    const result = await capture(editArgs, { env: { EDITOR: sandbox.path('no/such/editor') } });
    expect(result.code).toBe(1);
    expectNoLeaks(result);
    expect(readdirSync(sandbox.path('tmp'))).toEqual([]);
  });

  /** Starts an edit whose editor waits for witness/release; `act` runs once the editor shows the plaintext. */
  function editWhileWaiting(act: (child: ChildProcess) => Promise<void>, actions: EditorAction[] = [{ ...changeValue, wait: true }]) {
    return capture(editArgs, {
      detached: true,
      env: editorEnv(actions),
      during: async (child) => {
        await until(() => visits().length > 0, 'the editor');
        try {
          await act(child);
        } finally {
          writeFileSync(witness('release'), '');
        }
      },
    });
  }

  it('SIGINT to sealkit alone while the editor runs: left to the editor, as git does; the edit completes', async () => {
    const result = await editWhileWaiting(async (child) => {
      child.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(child.exitCode, 'sealkit still runs').toBeNull();
      expect(existsSync(visits()[0]!.file), 'the editor still has its file').toBe(true);
    });
    expect(result.code, text(result.stderr)).toBe(0);
    expectNoLeaks(result, { files: [{ path: 'app.yaml' }] });
    expectPlaintextShownThenGone(visits());
  });

  it('Ctrl-C (SIGINT to sealkit and its editor): the editor dies, the file is unchanged, the temporary file is gone', async () => {
    const result = await editWhileWaiting(async (child) => {
      process.kill(-child.pid!, 'SIGINT');
    });
    expect(result.code, text(result.stderr)).toBe(1);
    expect(text(result.stderr)).toMatch(/^error: The editor .* (was stopped by SIGINT|exited with status 130); nothing was changed\.\n$/);
    expectNoLeaks(result);
    expectPlaintextShownThenGone(visits());
    expect(sandbox.read('app.yaml')).toBe(sealedYaml);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as [NodeJS.Signals, number][])(
    '%s to sealkit while the editor runs: it exits %i, the temporary file is gone at once',
    async (signal, code) => {
      let editorPid = 0;
      const result = await editWhileWaiting(async (child) => {
        editorPid = visits()[0]!.pid;
        child.kill(signal);
        await until(() => child.exitCode !== null || child.signalCode !== null, 'sealkit to exit');
        expect(existsSync(visits()[0]!.file), 'removed while the editor still runs').toBe(false);
      });
      expect(result.code).toBe(code);
      expectNoLeaks(result);
      expectPlaintextShownThenGone(visits());
      expect(sandbox.read('app.yaml')).toBe(sealedYaml);
      await until(() => !alive(editorPid), 'the editor to finish');
    },
  );

  it('in a terminal, an invalid edit reopens the editor with the error on top; nothing leaks to the terminal', async () => {
    const result = await capture(editArgs, {
      tty: true,
      env: editorEnv([
        { replace: [[`password: ${canaryValue.value}`, `password: [${canaryValue.value}`]] },
        { replace: [[`password: [${canaryValue.value}`, `password: ${edited.value}`]] },
      ]),
    });
    expect(result.code, text(result.stdout)).toBe(0);
    const shown = visits();
    expect(shown).toHaveLength(2);
    expect(shown[1]!.text).toMatch(/^# error: The edited file is not valid YAML or JSON/);
    expect(findCanaries(shown[1]!.text.split('\n')[0]!), 'the error line quotes nothing').toEqual([]);
    expectNoLeaks(result, { files: [{ path: 'app.yaml' }] });
    expectPlaintextShownThenGone(shown);
    expect((await opened(sandbox.read('app.yaml'))).password).toBe(edited.value);
  });
});

// ---------------------------------------------------------------------------------------

describe('keys: private keys only in the 0600 key files, and in keys --export when asked', () => {
  const keyFiles = { path: /^sealkit\/keys\/[^/]+\.yaml$/, may: ['local-key', 'rotated-key'], mode: 0o600 };

  it('keygen wrote one 0600 key file in a 0700 directory and printed no key material', () => {
    expect(keygenRun.code, text(keygenRun.stderr)).toBe(0);
    expectNoLeaks(keygenRun, { files: [{ path: 'sealkit', mode: 0o700 }, { path: 'sealkit/keys', mode: 0o700 }, keyFiles] });
    expect(keygenRun.changes.filter((change) => change.entry?.kind === 'file')).toHaveLength(1);
  });

  it('keys, keys -o json, cert and --fetch-cert print no private key', async () => {
    for (const args of [
      ['keys'],
      ['keys', '-o', 'json'],
      ['keys', '-o', 'yaml', '--debug'],
      ['cert'],
      ['--fetch-cert'],
      ['--fetch-cert', '--cert', 'cert.pem'],
      ['cert', '-w', 'local-cert.pem'],
    ]) {
      const result = await capture(args);
      expect(result.code, `${args.join(' ')}: ${text(result.stderr)}`).toBe(0);
      expectNoLeaks(result, { files: [{ path: 'local-cert.pem' }] });
    }
  });

  it('keys --export prints the private keys (asked for), to stdout or a 0600 file', async () => {
    const toStdout = await capture(['keys', '--export']);
    expect(canaryLabels(findCanaries(toStdout.stdout))).toEqual(['local-key']);
    expectNoLeaks(toStdout, { stdout: ['local-key'] });
    sandbox.write('backup-out.yaml', 'old\n');
    chmodSync(sandbox.path('backup-out.yaml'), 0o644);
    const toFile = await capture(['keys', '--export', '-w', 'backup-out.yaml']);
    expect(toFile.code, text(toFile.stderr)).toBe(0);
    expectNoLeaks(toFile, { files: [{ path: 'backup-out.yaml', may: ['local-key'], mode: 0o600 }] });
  });

  it('rotate adds a second 0600 key file; its key is printed nowhere', async () => {
    const result = await capture(['rotate', '--key-size', '2048']);
    expect(result.code, text(result.stderr)).toBe(0);
    const added = result.changes.filter((change) => change.change === 'added');
    expect(added).toHaveLength(1);
    const backup = documents(readFileSync(sandbox.path(added[0]!.path), 'utf8'))[0]!;
    keyCanary(Buffer.from(backup.data['tls.key'], 'base64').toString('utf8'), 'rotated-key');
    expectNoLeaks(result, { files: [keyFiles] });
    expect(canaryLabels(findCanaries(result.stdout))).toEqual([]);
  });

  it('keygen, rotate and keys failures name paths, never keys', async () => {
    for (const args of [
      ['keygen', '--key-size', '2048'],
      ['rotate', '--key-size', '1000'],
      ['rotate', '--key-size', '2048', '--debug', '--valid-days', '0'],
    ]) {
      const result = await capture(args);
      expect(result.code).not.toBe(0);
      expectNoLeaks(result);
    }
    const noKeyring = await capture(['keys', '--export'], { env: { SEALKIT_HOME: sandbox.path('home/empty') } });
    expect(noKeyring.code).toBe(1);
    expectNoLeaks(noKeyring);
  });

  it('a private key file readable by others is warned about by path, without quoting it', async () => {
    sandbox.write('open-key.pem', key.privateKeyPem);
    chmodSync(sandbox.path('open-key.pem'), 0o644);
    const result = await capture(['unseal', '--key', 'open-key.pem'], { input: sealedYaml });
    expect(text(result.stderr)).toMatch(/^warning: the private key file "open-key.pem" is readable by others/);
    expectNoLeaks(result, { stdout: ['value'] });
  });

  // --fetch-cert prints what --cert names; a private key or key backup given there is refused.
  it('--fetch-cert with a private key or key backup as --cert (or SEALED_SECRETS_CERT) prints no private key', async () => {
    sandbox.write('backup.yaml', readFileSync(sandbox.path(`sealkit/keys/${readdirSync(sandbox.path('sealkit/keys')).sort()[0]}`)));
    const problems: string[] = [];
    for (const [args, env] of [
      [['--fetch-cert', '--cert', 'key.pem'], {}],
      [['--fetch-cert', '--cert', 'backup.yaml'], {}],
      [['--fetch-cert'], { SEALED_SECRETS_CERT: 'key.pem' }],
      [['--fetch-cert', '--cert', 'key.pem', '-w', 'fetched-cert.pem'], {}], // and in a 0644 file
    ] as [string[], Record<string, string>][]) {
      const result = await capture(args, { env });
      expect(result.code).toBe(1);
      expect(text(result.stderr)).toMatch(
        /^error: The certificate "(key\.pem|backup\.yaml)" holds a private key; give the public certificate/,
      );
      problems.push(
        ...leaks(result, { files: [{ path: 'fetched-cert.pem' }] }).map(
          (problem) => `${args.join(' ')} ${JSON.stringify(env)}: ${problem}`,
        ),
      );
    }
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------

describe('through a cluster: only certificates and ciphertexts go over the wire', () => {
  let api: KubeApiServer;
  let controller: Server;
  const received: string[] = [];

  beforeAll(async () => {
    // A stand-in controller behind the API server's service proxy that keeps every request it gets.
    controller = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('latin1');
        received.push(`${request.method} ${request.url}\n${JSON.stringify(request.headers)}\n${body}`);
        if (request.method === 'GET' && request.url === '/v1/cert.pem') response.end(key.certificatePem);
        else if (request.method === 'POST' && request.url === '/v1/verify') response.writeHead(200).end();
        else if (request.method === 'POST' && request.url === '/v1/rotate')
          response.writeHead(200, { 'content-type': 'application/json' }).end(body);
        else response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => controller.listen(0, '127.0.0.1', resolve));
    api = await startKubeApiServer();
    api.registerService('kube-system', 'sealed-secrets-controller', `http://127.0.0.1:${(controller.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await api?.close();
    await new Promise((resolve) => controller?.close(resolve));
  });

  it('--fetch-cert, sealing, --validate and --re-encrypt send no value and no key, and write nothing', async () => {
    const cluster = ['--kubeconfig', api.kubeconfigPath];
    for (const [args, input] of [
      [['--fetch-cert', ...cluster], ''],
      [['-o', 'yaml', ...cluster], secretYaml(canaryValue.value)],
      [['--validate', ...cluster], sealedYaml],
      [['--re-encrypt', '--debug', ...cluster], sealedYaml],
    ] as [string[], string][]) {
      const result = await capture(args, { input });
      expect(result.code, `${args.join(' ')}: ${text(result.stderr)}`).toBe(0);
      expectNoLeaks(result);
    }
    expect(received.map((request) => request.split('\n')[0])).toEqual([
      'GET /v1/cert.pem',
      'GET /v1/cert.pem',
      'POST /v1/verify',
      'POST /v1/rotate',
    ]);
    expect(
      received.filter((request) => request.includes('encryptedData')),
      'the ciphertexts did go',
    ).toHaveLength(2);
    expect(findCanaries(received.join('\n'))).toEqual([]);
  });
});

// Bad input of every kind: each gives a non-zero exit, exactly one line on stderr, no stack
// trace, nothing on stdout, nothing written, and never the secret value it carried (the canary).
import { generateKeyPairSync } from 'node:crypto';
import { truncateSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seal } from '../../packages/core/src/index.js';
import { makeKeyFiles, secretYaml, useSandboxWithKeys, type KeyFiles } from './helpers.js';

const ecPublicKeyPem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

const CANARY = 'CANARY-7f3a9-s3cr3t';
const CANARY_BASE64 = Buffer.from(CANARY).toString('base64');

const { sandbox, keys } = useSandboxWithKeys();
let other: KeyFiles;
let sealedCanary: string;

interface BadCase {
  name: string;
  args: string[] | (() => string[]);
  input?: string | (() => string);
  env?: Record<string, string>;
  /** What the one line must say. */
  message: RegExp;
  exitCode?: number;
}

const sealedSecret = (value: string) =>
  `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: s\n  namespace: n\nspec:\n  encryptedData:\n    k: ${value}\n  template:\n    metadata: {name: s, namespace: n}\n`;

const cases: BadCase[] = [
  {
    name: 'not YAML',
    args: () => ['--cert', keys.certFile],
    input: `kind: Secret\nstringData:\n  k: [${CANARY}\n`,
    message: /^The input is not valid YAML or JSON: .* at line \d+, column \d+\.$/,
  },
  {
    name: 'tabs in YAML',
    args: () => ['--cert', keys.certFile],
    input: `kind: Secret\nstringData:\n\tk: ${CANARY}\n`,
    message: /not valid YAML or JSON/,
  },
  {
    name: 'broken JSON',
    args: () => ['--cert', keys.certFile],
    input: `{"kind": "Secret", "stringData": {"k": ${CANARY}}}`,
    message: /^The input is not valid (JSON|YAML or JSON)/,
  },
  {
    name: 'a broken second JSON object',
    args: () => ['--cert', keys.certFile],
    input: `{"kind": "Secret"}\n{"stringData": {"k": "${CANARY}",}}`,
    message: /^The input is not valid JSON \(line 2, column \d+\)/,
  },
  {
    name: 'a bare string',
    args: () => ['--cert', keys.certFile],
    input: CANARY,
    message: /^Expected a Kubernetes object in the input, but found a string\.$/,
  },
  { name: 'a list', args: () => ['--cert', keys.certFile], input: `- ${CANARY}\n`, message: /found a list/ },
  { name: 'empty input', args: () => ['--cert', keys.certFile], input: '', message: /^The input is empty; expected Kubernetes objects/ },
  {
    name: 'a ConfigMap',
    args: () => ['--cert', keys.certFile],
    input: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: ${CANARY}}\n`,
    message: /is a ConfigMap, not a v1 Secret/,
  },
  {
    name: 'a SealedSecret to seal',
    args: () => ['--cert', keys.certFile],
    input: () => sealedCanary,
    message: /already a SealedSecret; give the plain Secret to seal/,
  },
  {
    name: 'a Secret without a name',
    args: () => ['--cert', keys.certFile],
    input: `apiVersion: v1\nkind: Secret\nmetadata: {namespace: n}\nstringData: {k: ${CANARY}}\n`,
    message: /has no metadata.name/,
  },
  {
    name: 'data that is not base64',
    args: () => ['--cert', keys.certFile],
    input: `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: n}\ndata: {k: "${CANARY}!"}\n`,
    message: /data key "k" .* is not valid base64/,
  },
  {
    name: 'a number in stringData',
    args: () => ['--cert', keys.certFile],
    input: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: n}\nstringData: {k: 12345}\n',
    message: /stringData key "k" .* is not a string/,
  },
  {
    name: 'a Secret of another apiVersion',
    args: () => ['--cert', keys.certFile],
    input: `apiVersion: v2\nkind: Secret\nmetadata: {name: s, namespace: n}\nstringData: {k: ${CANARY}}\n`,
    message: /not a v1 Secret/,
  },
  {
    name: 'a duplicate key',
    args: () => ['--cert', keys.certFile],
    input: `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: n}\nstringData:\n  k: ${CANARY}\n  k: ${CANARY}2\n`,
    message: /a key appears twice in one mapping at line 6/,
  },
  {
    name: 'a YAML alias bomb',
    args: () => ['--cert', keys.certFile],
    input: `a: &a [${CANARY},${CANARY}]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
    message: /too many YAML aliases/,
  },
  {
    name: 'a missing --cert file',
    args: () => ['--cert', sandbox.path('missing.pem')],
    input: secretYaml('s', 'n', { k: CANARY }),
    message: /^Cannot read the certificate file ".*missing.pem": it does not exist\.$/,
  },
  {
    name: 'a --cert that is not PEM',
    args: () => ['--cert', sandbox.write('garbage.pem', `just text ${CANARY}`)],
    input: secretYaml('s', 'n', { k: CANARY }),
    message: /^Cannot seal with the certificate from --cert .*garbage.pem: .*; expected a PEM certificate or public key\.$/,
  },
  {
    name: 'a --cert with a broken PEM body',
    args: () => ['--cert', sandbox.write('broken.pem', '-----BEGIN CERTIFICATE-----\n!!!notbase64!!!\n-----END CERTIFICATE-----\n')],
    input: secretYaml('s', 'n', { k: CANARY }),
    message: /PEM block "CERTIFICATE" is not valid base64/,
  },
  {
    name: 'an alias inside its own anchor',
    args: () => ['--cert', keys.certFile],
    input: `apiVersion: v1\nkind: Secret\nmetadata: &m {name: a, namespace: n, annotations: {x: *m}}\nstringData: {k: ${CANARY}}\n`,
    message:
      /^The input has a YAML alias \(\*\) inside the anchor \(&\) it refers to at line 3, column \d+; an object cannot contain itself\.$/,
  },
  {
    name: 'a non-RSA key as --cert',
    args: () => ['--cert', sandbox.write('ec.pem', ecPublicKeyPem)],
    input: secretYaml('s', 'n', { k: CANARY }),
    message: /is not an RSA key/,
  },
  {
    name: 'a private key as --cert',
    args: () => ['--cert', sandbox.write('ec-key.pem', '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n')],
    input: secretYaml('s', 'n', { k: CANARY }),
    message: /^The certificate ".*ec-key.pem" holds a private key; give the public certificate/,
  },
  {
    name: 'an unsupported --cert URL',
    args: ['--cert', 'ftp://example.com/cert.pem'],
    input: secretYaml('s', 'n', { k: CANARY }),
    message: /^Cannot fetch the certificate over ftp; only files and http\(s\) URLs are supported\.$/,
  },
  {
    name: 'a SEALED_SECRETS_CERT that does not exist',
    args: [],
    env: { SEALED_SECRETS_CERT: '/nonexistent/cert.pem' },
    input: secretYaml('s', 'n', { k: CANARY }),
    message: /^Cannot read the certificate file "\/nonexistent\/cert.pem"/,
  },
  {
    name: 'an expired certificate',
    args: () => ['--cert', sandbox.path('expired-cert.pem')],
    input: secretYaml('s', 'n', { k: CANARY }),
    message: /^The certificate expired on .*--allow-expired-cert/,
  },
  {
    name: 'an unknown output format',
    args: () => ['--cert', keys.certFile, '-o', 'xml'],
    input: secretYaml('s', 'n', { k: CANARY }),
    message: /^Unsupported output format "xml"; use -o json or -o yaml\.$/,
  },
  {
    name: 'an unknown scope',
    args: () => ['--cert', keys.certFile, '--scope', 'galaxy-wide'],
    input: secretYaml('s', 'n', { k: CANARY }),
    message: /option '--scope <scope>' argument 'galaxy-wide' is invalid\. use strict, namespace-wide or cluster-wide/i,
    exitCode: 2,
  },
  {
    name: 'a missing -f file',
    args: () => ['--cert', keys.certFile, '-f', sandbox.path('nope.yaml')],
    message: /^Cannot read the input "?.*nope.yaml"?: it does not exist\.$/,
  },
  { name: 'a directory as -f', args: () => ['--cert', keys.certFile, '-f', sandbox.dir], message: /it is a directory/ },
  {
    name: 'a -w file in a missing directory',
    args: () => ['--cert', keys.certFile, '-w', sandbox.path('no/such/dir/out.yaml')],
    input: secretYaml('s', 'n', { k: CANARY }),
    message: /^Cannot write the file ".*out.yaml": its directory does not exist\.$/,
  },
  {
    name: 'a recovery key that is only a certificate',
    args: () => ['--recovery-unseal', '--recovery-private-key', keys.certFile],
    input: () => sealedCanary,
    message: /hold no private key/,
  },
  {
    name: 'a missing recovery key file',
    args: () => ['--recovery-unseal', '--recovery-private-key', sandbox.path('gone.pem')],
    input: () => sealedCanary,
    message: /^Cannot read the private key file ".*gone.pem": it does not exist\.$/,
  },
  {
    name: 'a recovery key that does not open it',
    args: () => ['--recovery-unseal', '--recovery-private-key', other.keyFile],
    input: () => sealedCanary,
    message: /none of the 1 private key\(s\) opens this value/,
  },
  {
    name: 'a tampered ciphertext',
    args: () => ['--recovery-unseal', '--recovery-private-key', keys.keyFile],
    input: () => sealedCanary.replace(/k: (\S+)/, (_, v: string) => `k: ${v.slice(0, -8)}AAAAAAA=`),
    message: /cannot unseal "k" of SealedSecret n\/s/i,
  },
  {
    name: 'a Secret given to --recovery-unseal',
    args: () => ['--recovery-unseal', '--recovery-private-key', keys.keyFile],
    input: secretYaml('s', 'n', { k: CANARY }),
    message: /^The input is a Secret, not a bitnami.com\/v1alpha1 SealedSecret\.$/,
  },
  {
    name: '--raw without --name',
    args: () => ['--raw', '--cert', keys.certFile, '-n', 'prod'],
    input: CANARY,
    message: /needs --name NAME/,
  },
  {
    name: '--raw with two values',
    args: () => ['--raw', '--cert', keys.certFile, '--name', 'x', '--from-literal', CANARY, '--from-literal', 'b'],
    message: /^--raw takes one value/,
  },
  {
    name: 'a --from-literal without a key',
    args: () => ['--cert', keys.certFile, '--name', 'x', '--from-literal', `=${CANARY}`],
    message: /must be key=value, with a non-empty key/,
  },
  {
    name: 'a missing --from-file',
    args: () => ['--cert', keys.certFile, '--name', 'x', '--from-file', sandbox.path('absent.txt')],
    message: /^Cannot read the file ".*absent.txt": it does not exist\.$/,
  },
  {
    name: 'a bad line in --from-env-file',
    args: () => ['--cert', keys.certFile, '--name', 'x', '--from-env-file', sandbox.write('bad.env', `GOOD=1\n9BAD=${CANARY}\n`)],
    message: /variable name on line 2 of ".*bad.env" is not valid/,
  },
  {
    name: 'a missing --merge-into file',
    args: () => ['--cert', keys.certFile, '--merge-into', sandbox.path('absent.yaml')],
    input: secretYaml('s', 'n', { k: CANARY }),
    message: /^Cannot read the SealedSecret file ".*absent.yaml": it does not exist\.$/,
  },
  {
    name: 'a --merge-into file without a SealedSecret',
    args: () => [
      '--cert',
      keys.certFile,
      '--merge-into',
      sandbox.write('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n'),
    ],
    input: secretYaml('s', 'n', { k: CANARY }),
    message: /holds no SealedSecret to merge into/,
  },
  {
    name: 'two modes at once',
    args: ['--validate', '--re-encrypt'],
    input: () => sealedCanary,
    message: /^--validate and --re-encrypt cannot be used together; choose one\.$/,
    exitCode: 2,
  },
  { name: 'an unknown option', args: ['--bogus-flag'], message: /^Unknown option '--bogus-flag'; see 'sealkit --help'\.$/, exitCode: 2 },
  { name: 'a key size core refuses', args: ['keygen', '--key-size', '1024'], message: /Key size 1024 is not supported/ },
  {
    name: 'a key size that is not a number',
    args: ['keygen', '--key-size', 'big'],
    message: /argument 'big' is invalid\. expected a positive whole number/,
  },
  {
    name: 'a kubeconfig that is not YAML',
    args: () => ['--cert', keys.certFile, '--kubeconfig', sandbox.write('bad.kubeconfig', 'a: [b\n')],
    input: secretYaml('s', undefined, { k: CANARY }),
    message: /kubeconfig file ".*bad.kubeconfig" is not valid YAML/,
  },
  {
    name: 'a missing kubeconfig',
    args: () => ['--fetch-cert', '--kubeconfig', sandbox.path('none.kubeconfig')],
    message: /kubeconfig file ".*none.kubeconfig" does not exist; check --kubeconfig/,
  },
  {
    name: 'diff of a file that is not sealed',
    args: () => ['diff', sandbox.write('plain.yaml', secretYaml('s', 'n', { k: CANARY })), sandbox.path('plain.yaml')],
    message: /is a Secret, not a bitnami.com\/v1alpha1 SealedSecret/,
    exitCode: 2,
  },
  {
    name: 'edit of a missing file',
    args: () => ['edit', sandbox.path('absent-edit.yaml'), '--key', keys.keyFile],
    message: /^Cannot read the SealedSecret file ".*absent-edit.yaml": it does not exist\.$/,
  },
  {
    name: 'unseal --raw of garbage',
    args: () => ['unseal', '--raw', '--key', keys.keyFile, '-n', 'n', '--name', 's'],
    input: `${CANARY}!!`,
    message: /sealed value is not valid base64/,
  },
  {
    name: 'a data value that opens to garbage JSON stream',
    args: () => ['--recovery-unseal', '--recovery-private-key', keys.keyFile],
    input: `{"kind":"SealedSecret"`,
    message: /not valid (JSON|YAML or JSON)/,
  },
];

beforeAll(async () => {
  other = await makeKeyFiles(sandbox, 'other-');
  await makeKeyFiles(sandbox, 'expired-', { notBefore: new Date(Date.now() - 3 * 86_400_000), validDays: 1 });
  sealedCanary = sealedSecret(await seal(keys.certificatePem, CANARY, { namespace: 'n', name: 's' }));
});

describe('bad inputs', () => {
  it('has a corpus of at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$name: one clear line, a failing exit, no stack, no secret', async ({ args, input, env, message, exitCode }) => {
    const result = await sandbox.run(typeof args === 'function' ? args() : args, {
      input: typeof input === 'function' ? input() : input,
      env,
    });
    expect(result.code).toBe(exitCode ?? 1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(result.stderr.slice('error: '.length, -1)).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    for (const secret of [CANARY, CANARY_BASE64, keys.privateKeyPem.split('\n')[1]!]) expect(result.stderr).not.toContain(secret);
  });

  it('shows the stack trace under --debug', async () => {
    const result = await sandbox.run(['--cert', sandbox.path('missing.pem'), '--debug'], { input: secretYaml('s', 'n', { k: 'v' }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: Cannot read the certificate file[^\n]*\nCliError: [^\n]*\n\s+at /);
  });
});

// Oversized input is refused with one clear line instead of being read into memory.
describe('oversized input', () => {
  it('refuses 100 MB on stdin', async () => {
    const result = await sandbox.run(['--cert', keys.certFile], { input: 'A'.repeat(100_000_000) });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: The input is larger than 64 MiB; Secrets are at most 1 MiB each, so split it or check what is being piped in.\n',
    );
  });

  it('refuses a file over 64 MiB without reading it', async () => {
    const file = sandbox.write('huge.yaml', '');
    truncateSync(file, 100_000_000); // sparse: costs no disk
    const result = await sandbox.run(['--cert', keys.certFile, '-f', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: The .* "[^"]*huge\.yaml" is larger than 64 MiB; that is not a manifest or key file\.\n$/);
  });
});

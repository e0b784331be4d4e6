// The page writes what the CLI writes: the same pasted Secret manifest (YAML or JSON), sealed
// with the same certificate by the page's own modules (in Node) and by the built sealkit, gives
// the same bytes once the ciphertexts (random on every sealing) are blanked. The cases are the
// page's old mistakes (YAML 1.1 booleans left unquoted, key10 sorted before key2) and what else
// the writer must quote or break: unicode, line breaks, long values; then Secrets fast-check makes.
import { scopeFromAnnotations, unsealSecret } from '@sealkit/core';
import { parseManifests } from '@sealkit/core/manifest';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCertificate, type SealingCertificate } from '../../packages/web/src/certificate.js';
import { parseManifest } from '../../packages/web/src/manifest-yaml.js';
import { sealWholeSecret } from '../../packages/web/src/sealing.js';
import { useSandboxWithKeys } from '../cli/helpers.js';

const { sandbox, keys } = useSandboxWithKeys();
let certificate: SealingCertificate;

beforeAll(async () => {
  certificate = await readCertificate(keys.certificatePem);
});

/** Sealed values (base64 of an RSA-2048 block and more) differ on every sealing. */
const blank = (text: string) => text.replace(/[A-Za-z0-9+/]{300,}={0,2}/g, '<sealed>');

/** What the page shows for one pasted manifest, the scope following its annotations as the page's radio does. */
async function sealedByPage(text: string): Promise<string> {
  const manifest = parseManifest(text);
  const annotations = (manifest.metadata as { annotations?: Record<string, string> }).annotations;
  return (await sealWholeSecret(manifest, certificate, scopeFromAnnotations(annotations))).text;
}

/** What `sealkit --cert … -o yaml` prints for each manifest, sealed in one run as a YAML or JSON stream. */
async function sealedByCli(texts: string[], format: 'yaml' | 'json'): Promise<string[]> {
  const input = format === 'yaml' ? texts.map((text) => `---\n${text}`).join('') : texts.join('\n');
  const { code, stdout, stderr } = await sandbox.run(['--cert', keys.certFile, '-o', 'yaml'], { input });
  expect(code, stderr).toBe(0);
  return stdout.split(/^(?=---\n)/m);
}

/** Both seal each manifest, given as YAML and as JSON; the page's outputs are returned. */
async function expectSameOutput(manifests: object[]): Promise<string[]> {
  const byPage: string[] = [];
  for (const format of ['yaml', 'json'] as const) {
    const texts = manifests.map((manifest) => (format === 'json' ? JSON.stringify(manifest, null, 2) : toYaml(manifest)));
    const byCli = await sealedByCli(texts, format);
    expect(byCli).toHaveLength(texts.length);
    for (const [index, text] of texts.entries()) {
      const output = await sealedByPage(text);
      expect(blank(output), `${format} input ${index}:\n${text}`).toBe(blank(byCli[index]!));
      byPage.push(output);
    }
  }
  return byPage;
}

/** YAML input as a person writes it: every scalar double-quoted (JSON's escapes are YAML's), so the text means what the object holds. */
function toYaml(value: unknown, indent = ''): string {
  if (typeof value !== 'object' || value === null) return `${JSON.stringify(value)}\n`;
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}\n';
  return `\n${entries.map(([key, item]) => `${indent}${JSON.stringify(key)}: ${toYaml(item, `${indent}  `)}`).join('')}`;
}

const secret = (metadata: object, stringData: Record<string, string>, extra: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'app', namespace: 'prod', ...metadata },
  stringData,
  ...extra,
});

const YAML_11_WORDS = ['on', 'off', 'On', 'OFF', 'yes', 'no', 'Yes', 'NO', 'y', 'n', 'Y', 'N', 'true', 'False', '~', 'null'];

describe('the page writes the SealedSecret byte for byte as the CLI does', () => {
  it('quotes YAML 1.1 booleans, orders key2 before key10, and writes unicode, line breaks and long values alike', async () => {
    const labels = Object.fromEntries(YAML_11_WORDS.map((word, i) => [`word${i}`, word]));
    const manifests = [
      secret({ labels: { enabled: 'on', disabled: 'off', yes: 'yes', no: 'no', y: 'y', n: 'n', ...labels } }, { password: 'on' }),
      secret({ labels: { key10: 'a', key2: 'b', key1: 'c', Key3: 'd', 'key-2': 'e', key02: 'f' } }, { key10: 'x', key2: 'y', key1: 'z' }),
      secret(
        {
          annotations: {
            note: 'grüße 🔑 日本語 "q" \'q\' \\ <a & b>',
            multi: 'line1\nline2\r\nline3\n',
            trailing: 'ends in a space ',
            long: `${'word '.repeat(40)}end`,
            number: '0123',
            float: '1.5e3',
            date: '2024-01-02',
            colon: 'a: b',
            hash: 'a #b',
            empty: '',
          },
        },
        { 'config.yaml': 'a: 1\nb: [2]\n' },
        { type: 'kubernetes.io/basic-auth', immutable: true },
      ),
      secret({ name: 'shared', namespace: 'ops', annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' } }, { token: 't' }),
      secret({ annotations: { 'sealedsecrets.bitnami.com/namespace-wide': 'true' }, labels: { on: 'yes' } }, { token: 't' }),
    ];
    for (const output of await expectSameOutput(manifests)) {
      // What was blanked is the page's own ciphertext, of the values given.
      const opened = await unsealSecret(parseManifests(output, 'page output').objects[0]!, keys.privateKeyPem);
      expect(Object.keys(opened.data ?? {}).length).toBeGreaterThan(0);
    }
  });

  it('agrees on generated Secrets', async () => {
    const word = fc.oneof(
      fc.constantFrom(...YAML_11_WORDS, 'key2', 'key10', '0x1F', '1_000', '.5', '-', '? a', '- a', '*a', '&a', '!a', '%', '@', '`'),
      fc.string({
        unit: fc.constantFrom('a', 'Z', '0', '9', ' ', ':', '#', '"', "'", '\\', '\n', '\t', 'é', '🔑', '\u2028', '\u0085'),
        maxLength: 12,
      }),
    );
    const key = fc.stringMatching(/^[a-zA-Z0-9][-._a-zA-Z0-9]{0,12}$/);
    const manifests = fc.sample(
      fc.record({
        labels: fc.dictionary(key, word, { maxKeys: 5 }),
        annotations: fc.dictionary(key, word, { maxKeys: 5 }),
        stringData: fc.dictionary(key, word, { minKeys: 1, maxKeys: 4 }),
      }),
      { numRuns: 40 },
    );
    await expectSameOutput(manifests.map(({ labels, annotations, stringData }) => secret({ labels, annotations }, stringData)));
  });
});

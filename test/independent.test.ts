// The reverse direction: what sealkit seals opens in an independent implementation
// (Python's `cryptography`, test/independent/open_sealed.py), and keys sealkit
// generates load there too.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Keyring, generateKeyPair, labelText, sealSecret, type Target } from '../packages/core/src/index.js';

const checker = join(import.meta.dirname, 'independent', 'open_sealed.py');

function openInPython(request: object): { values: (string | null)[]; sealedSecrets: Record<string, string | null>[] } {
  return JSON.parse(execFileSync('python3', [checker], { input: JSON.stringify(request), encoding: 'utf8' }));
}

describe('values sealed by sealkit open in Python', () => {
  let pair: { privateKeyPem: string; certificatePem: string };
  beforeAll(async () => {
    pair = await generateKeyPair({ bits: 4096, commonName: 'independent-check' });
  });

  it('opens raw values for every scope, including empty and binary plaintexts', async () => {
    const targets: Target[] = [
      { namespace: 'default', name: 'mysecret', scope: 'strict' },
      { namespace: 'prod-eu.1', name: 'db.credentials', scope: 'strict' },
      { namespace: 'ns-ünï', scope: 'namespace-wide' },
      { scope: 'cluster-wide' },
    ];
    const plaintexts = [
      new Uint8Array(0),
      new TextEncoder().encode('hunter2'),
      Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff),
    ];
    const cases = [];
    for (const target of targets) {
      for (const plaintext of plaintexts) {
        const sealed = await (await Keyring.from(pair.certificatePem)).seal(plaintext, target);
        cases.push({ sealed, label: labelText(target), expected: Buffer.from(plaintext).toString('base64') });
      }
    }
    // A wrong label must not open in Python either.
    cases.push({ sealed: cases[0]!.sealed, label: 'default/other', expected: null });
    const result = openInPython({ privateKeysPem: [pair.privateKeyPem], values: cases });
    expect(result.values).toEqual(cases.map((c) => c.expected));
  });

  it('opens every value of SealedSecrets of each scope', async () => {
    const secret = (annotations: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'app', namespace: 'team-a', annotations },
      data: { password: Buffer.from('p4ss').toString('base64') },
      stringData: { token: 'tok-123', 'config.json': '{"a":1}' },
    });
    const sealedSecrets = [
      await sealSecret(secret({}), pair.certificatePem),
      await sealSecret(secret({ 'sealedsecrets.bitnami.com/namespace-wide': 'true' }), pair.certificatePem),
      await sealSecret(secret({}), pair.certificatePem, { scope: 'cluster-wide' }),
    ];
    const result = openInPython({ privateKeysPem: [pair.privateKeyPem], sealedSecrets });
    const expected = { 'config.json': '{"a":1}', password: 'p4ss', token: 'tok-123' };
    for (const opened of result.sealedSecrets) {
      expect(Object.fromEntries(Object.entries(opened).map(([k, v]) => [k, v && Buffer.from(v, 'base64').toString()]))).toEqual(expected);
    }
  });
});

// Values and SealedSecrets made by Bitnami's own Go code open with sealkit, and tampered ones do not.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Keyring, SealkitError, fromBase64, unseal, unsealSecret, type Scope } from '../src/index.js';
import { vectorJson, vectorText } from '../../../test/vectors/vectors.js';

interface GoKey {
  id: string;
  bits: number;
  order: number;
  privateKeyPem: string;
  certificatePem: string;
}
interface GoCase {
  keyId: string;
  scope: Scope;
  namespace: string;
  name: string;
  label: string;
  plaintext: string;
  sealed: string;
  note: string;
  expected: 'open' | 'reject';
}

describe('Go reference vectors', () => {
  const vectors = vectorJson<{ keys: GoKey[]; cases: GoCase[] }>('sealed-secrets-go.json');
  const allKeys = vectors.keys.map((k) => `${k.certificatePem}\n${k.privateKeyPem}`);
  const positives = vectors.cases.filter((c) => c.expected === 'open');
  const negatives = vectors.cases.filter((c) => c.expected === 'reject');

  it('has the cases the design promises', () => {
    expect(positives.length).toBe(84);
    expect(negatives.length).toBe(13);
  });

  it('opens every positive case with the full keyring', async () => {
    const ring = await Keyring.from(...allKeys);
    for (const c of positives) {
      const opened = await unseal(ring, c.sealed, c);
      expect(Buffer.from(opened).toString('base64'), c.note).toBe(c.plaintext);
    }
  });

  it('opens each positive case with just the key that sealed it, and not with another', async () => {
    const byId = new Map(vectors.keys.map((k) => [k.id, k.privateKeyPem]));
    for (const c of positives) {
      const own = await unseal(byId.get(c.keyId)!, c.sealed, c);
      expect(fromBase64(c.plaintext)).toEqual(own);
      const other = vectors.keys.find((k) => k.id !== c.keyId)!;
      await expect(unseal(other.privateKeyPem, c.sealed, c)).rejects.toBeInstanceOf(SealkitError);
    }
  });

  it('rejects every negative case with a SealkitError', async () => {
    const ring = await Keyring.from(...allKeys);
    for (const c of negatives) {
      await expect(unseal(ring, c.sealed, c), c.note).rejects.toBeInstanceOf(SealkitError);
    }
  });

  it('names keys by the controller fingerprint and orders them by age', async () => {
    const ring = await Keyring.from(vectorText('controller-keys-backup.yaml'));
    expect(ring.size).toBe(3);
    expect(ring.fingerprints.every((f) => /^SHA256:[A-Za-z0-9+/]{43}$/.test(f))).toBe(true);
    expect(ring.keys.map((k) => k.createdAt?.toISOString())).toEqual([
      '2026-07-01T00:00:00.000Z',
      '2026-04-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ]);
    expect(ring.keys[0]!.active).toBe(true);
    expect(ring.activeCertificatePem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });

  it('unseals the SealedSecret manifests to the expected Secrets with the key backup', async () => {
    const backup = vectorText('controller-keys-backup.yaml');
    const sealed = parseAllDocuments(vectorText('sealedsecrets.yaml')).map((d) => d.toJS());
    const expected = parseAllDocuments(vectorText('sealedsecrets.expected.yaml')).map((d) => d.toJS());
    expect(sealed).toHaveLength(expected.length);
    for (const [i, doc] of sealed.entries()) {
      const secret = await unsealSecret(doc, backup);
      expect(secret.metadata.ownerReferences).toEqual([
        { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name: doc.metadata.name, uid: '', controller: true },
      ]);
      delete secret.metadata.ownerReferences;
      expect(secret).toEqual(expected[i]);
    }
  });
});

// The page with a post-quantum certificate: it seals post-quantum and says so in the summary; with a classic one it says nothing of it.
import { generateKeyPair, inspectSealed } from '@sealkit/core';
import { describe, expect, it } from 'vitest';
import { readCertificate } from '../../packages/web/src/certificate.js';
import { sealRawValue, sealWholeSecret } from '../../packages/web/src/sealing.js';

const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'prod' }, stringData: { password: 'hunter2' } };

describe('the sealing page', () => {
  it('seals post-quantum with a certificate that carries an ML-KEM key, and says so', async () => {
    const certificate = await readCertificate((await generateKeyPair({ bits: 2048, postQuantum: true })).certificatePem);
    const whole = await sealWholeSecret(secret, certificate, 'strict');
    expect(whole.summary).toMatch(/Post-quantum \(ML-KEM-768 \+ RSA\): only sealkit's controller opens it/);
    const value = /password: (\S+)/.exec(whole.text)![1]!;
    expect(inspectSealed(value).format).toBe('post-quantum');
    const raw = await sealRawValue(new TextEncoder().encode('x'), certificate, { namespace: 'prod', name: 'db', scope: 'strict' });
    expect(inspectSealed(raw.text).format).toBe('post-quantum');
    expect(raw.summary).toMatch(/Post-quantum/);
  });

  it('seals classic values with a classic certificate, without a word about it', async () => {
    const certificate = await readCertificate((await generateKeyPair({ bits: 2048 })).certificatePem);
    const whole = await sealWholeSecret(secret, certificate, 'strict');
    expect(whole.summary).not.toMatch(/quantum/i);
    expect(inspectSealed(/password: (\S+)/.exec(whole.text)![1]!).format).toBe('classic');
  });
});

// Project Wycheproof vectors through sealkit's own RSA-OAEP and AES-GCM primitives.
import { describe, expect, it } from 'vitest';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { nodeAesGcm, webCryptoAesGcm } from '../src/format/aes-gcm.js';
import { openSessionKey, RSA_OAEP } from '../src/format/classic.js';
import { privateKeyFromPkcs8 } from '../src/keys/rsa-keys.js';
import { vectorJson } from '../../../test/vectors/vectors.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

interface OaepFile {
  testGroups: {
    keySize: number;
    sha: string;
    mgfSha: string;
    privateKeyPkcs8: string;
    tests: { tcId: number; msg: string; ct: string; label: string; result: string }[];
  }[];
}
interface GcmFile {
  testGroups: {
    keySize: number;
    ivSize: number;
    tagSize: number;
    tests: { tcId: number; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: string }[];
  }[];
}

describe('Wycheproof', () => {
  for (const bits of [2048, 4096]) {
    it(`RSA-OAEP ${bits} SHA-256/MGF1-SHA-256: valid vectors open to msg, invalid ones are rejected`, async () => {
      const file = vectorJson<OaepFile>(`wycheproof/rsa_oaep_${bits}_sha256_mgf1sha256_test.json`);
      let count = 0;
      for (const group of file.testGroups) {
        expect([group.sha, group.mgfSha]).toEqual(['SHA-256', 'SHA-256']);
        const key = privateKeyFromPkcs8(hex(group.privateKeyPkcs8));
        expect(key.publicKey.bits).toBe(group.keySize);
        const cryptoKey = await crypto.subtle.importKey('pkcs8', key.pkcs8 as Uint8Array<ArrayBuffer>, RSA_OAEP, false, ['decrypt']);
        for (const t of group.tests) {
          const opened = await openSessionKey(cryptoKey, hex(t.ct), hex(t.label));
          if (t.result === 'valid') expect(opened && Buffer.from(opened).toString('hex'), `tcId ${t.tcId}`).toBe(t.msg);
          else expect(opened, `tcId ${t.tcId}`).toBeUndefined();
          count++;
        }
      }
      expect(count).toBeGreaterThan(30);
    });
  }

  // Both backends: node:crypto (used in Node) and WebCrypto (used in browsers).
  const backends = { 'node:crypto': nodeAesGcm({ createCipheriv, createDecipheriv } as never), WebCrypto: webCryptoAesGcm };
  for (const [name, aes] of Object.entries(backends)) {
    it(`AES-256-GCM (${name}), 96-bit IV, 128-bit tag: valid vectors open and re-seal, invalid ones are rejected`, async () => {
      const file = vectorJson<GcmFile>('wycheproof/aes_gcm_test.json');
      const groups = file.testGroups.filter((g) => g.keySize === 256 && g.ivSize === 96 && g.tagSize === 128);
      const tests = groups.flatMap((g) => g.tests);
      expect(tests.length).toBe(66);
      for (const t of tests) {
        const result = aes.open(hex(t.key), hex(t.iv), hex(t.ct + t.tag), hex(t.aad));
        if (t.result !== 'valid') {
          await expect(result, `tcId ${t.tcId}`).rejects.toMatchObject({ code: 'decrypt-failed' });
          continue;
        }
        expect(Buffer.from(await result).toString('hex'), `tcId ${t.tcId}`).toBe(t.msg);
        if (t.aad === '')
          expect(Buffer.from(await aes.seal(hex(t.key), hex(t.iv), hex(t.msg))).toString('hex'), `tcId ${t.tcId}`).toBe(t.ct + t.tag);
      }
    });
  }
});

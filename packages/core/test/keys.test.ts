// Key generation and every key/certificate format users bring.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { vectorJson } from '../../../test/vectors/vectors.js';
import {
  Keyring,
  SealkitError,
  fingerprint,
  generateKeyPair,
  parseCertificate,
  parseKeyMaterial,
  parsePemBlocks,
  seal,
  unseal,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sealkit-keys-'));
const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
const target = { namespace: 'default', name: 'mysecret' };

let pair: { privateKeyPem: string; certificatePem: string };
beforeAll(async () => {
  pair = await generateKeyPair({ bits: 2048 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true })); // it holds private keys

describe('generateKeyPair', () => {
  it('makes a controller-style key: PKCS#1 tls.key and a self-signed 10-year CA certificate with empty CN', async () => {
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    const cert = new X509Certificate(pair.certificatePem);
    // An empty subject and issuer, like the controller's default (Node reports them as undefined).
    expect(cert.subject ?? '').toBe('');
    expect(cert.issuer ?? '').toBe('');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(pair.privateKeyPem))).toBe(true);
    const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365.25 * 86_400_000);
    expect(years).toBeCloseTo(10, 1);
    // 128-bit random serial (a leading zero byte may be dropped from its hex).
    expect(cert.serialNumber.length).toBeGreaterThanOrEqual(30);
    expect(cert.serialNumber.length).toBeLessThanOrEqual(32);
  });

  it('writes the same X.509 extensions as the Go controller', () => {
    const extensions = (pem: string) => {
      writeFileSync(join(dir, 'x.pem'), pem);
      const text = openssl('x509', '-in', join(dir, 'x.pem'), '-noout', '-text', '-certopt', 'no_pubkey,no_sigdump,no_serial,no_validity');
      return text.slice(text.indexOf('X509v3 extensions')).replace(/([0-9A-F]{2}:){19}[0-9A-F]{2}/, 'KEY-ID');
    };
    const reference = vectorJson<{ keys: { certificatePem: string }[] }>('sealed-secrets-go.json').keys[2]!.certificatePem;
    expect(extensions(pair.certificatePem)).toContain('Encipher Only');
    expect(extensions(pair.certificatePem)).toBe(extensions(reference));
  });

  it('defaults to 4096 bits, takes a common name, and gives each key its own serial', async () => {
    const big = await generateKeyPair({ commonName: 'sealed-secrets.example' });
    const info = parseCertificate(parsePemBlocks(big.certificatePem)[0]!.der);
    expect(info.publicKey.bits).toBe(4096);
    expect(info.commonName).toBe('sealed-secrets.example');
    expect(info.serialNumber).not.toBe(parseCertificate(parsePemBlocks(pair.certificatePem)[0]!.der).serialNumber);
  });

  it('refuses unsupported key sizes', async () => {
    await expect(generateKeyPair({ bits: 1024 })).rejects.toMatchObject({ code: 'bad-input' });
  });
});

describe('key formats', () => {
  it('seals with a certificate, SPKI or PKCS#1 public key and opens with a PKCS#1 or PKCS#8 private key', async () => {
    const publicKey = createPublicKey(pair.certificatePem);
    const privateKey = createPrivateKey(pair.privateKeyPem);
    const sealers = [
      pair.certificatePem,
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    ];
    const openers = [pair.privateKeyPem, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()];
    for (const sealer of sealers) {
      const sealed = await seal(sealer, 'v', target);
      for (const opener of openers) expect(new TextDecoder().decode(await unseal(opener, sealed, target))).toBe('v');
    }
  });

  it('reads several keys from one file and pairs certificates with their private keys', async () => {
    const other = await generateKeyPair({ bits: 2048 });
    const keys = parseKeyMaterial(
      `junk before\n${pair.certificatePem}${other.privateKeyPem}\n${pair.privateKeyPem}${other.certificatePem}`,
    );
    expect(keys).toHaveLength(2);
    expect(keys.every((k) => k.certificate && k.privateKey)).toBe(true);
  });

  it('computes the Bitnami fingerprint (SHA-256 of the SSH wire key) like ssh-keygen does', async () => {
    writeFileSync(join(dir, 'k.pem'), pair.privateKeyPem, { mode: 0o600 });
    const sshPub = execFileSync('ssh-keygen', ['-y', '-f', join(dir, 'k.pem')], { encoding: 'utf8' });
    writeFileSync(join(dir, 'k.pub'), sshPub);
    const expected = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'k.pub')], { encoding: 'utf8' }).split(' ')[1];
    const [key] = parseKeyMaterial(pair.privateKeyPem);
    expect(await fingerprint(key!.publicKey)).toBe(expected);
  });

  it.each([
    [
      'an EC certificate',
      () =>
        openssl(
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-keyout',
          '/dev/null',
          '-subj',
          '/CN=ec',
          '-days',
          '1',
        ),
    ],
    [
      'an ed25519 certificate',
      () => openssl('req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=ed', '-days', '1'),
    ],
    ['an EC private key', () => openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout')],
  ])('rejects %s as not RSA, naming what it is', async (what, make) => {
    const named = what.includes('ed25519') ? 'an Ed25519 key' : 'EC';
    await expect(Keyring.from(make())).rejects.toMatchObject({ code: 'bad-key', message: expect.stringContaining(named) });
  });

  it.each([
    ['no PEM at all', 'hello'],
    ['a truncated certificate', () => pair.certificatePem.slice(0, 200) + '\n-----END CERTIFICATE-----\n'],
    ['PEM with broken base64', '-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n'],
    ['an encrypted private key', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n'],
    ['a key backup Secret without tls.key', 'apiVersion: v1\nkind: Secret\nmetadata: {name: k}\ndata: {tls.crt: ""}\n'],
    ['a ConfigMap', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: k}\n'],
  ])('rejects %s with a SealkitError', async (_, input) => {
    const text = typeof input === 'function' ? input() : input;
    await expect(Keyring.from(text)).rejects.toBeInstanceOf(SealkitError);
  });

  it('prints no warning quoting a key backup (yaml warns about a mapping used as a key, quoting it)', () => {
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const text = 'apiVersion: v1\nkind: Secret\nmetadata: {name: k}\ndata:\n  ? {tls.key: CANARY-KEY-MATERIAL}\n  : x\n';
      expect(() => parseKeyMaterial(text)).toThrow(SealkitError);
      expect(warnings).not.toHaveBeenCalled();
      expect(consoleWarn).not.toHaveBeenCalled();
    } finally {
      warnings.mockRestore();
      consoleWarn.mockRestore();
    }
  });
});

describe('certificate validity', () => {
  it('refuses an expired certificate unless allowed, and then warns', async () => {
    const old = await generateKeyPair({ bits: 2048, validDays: 1, notBefore: new Date('2020-01-01T00:00:00Z') });
    await expect(seal(old.certificatePem, 'v', target)).rejects.toMatchObject({
      code: 'expired-certificate',
      message: expect.stringContaining('2020-01-02'),
    });
    const onWarning = vi.fn();
    const sealed = await seal(old.certificatePem, 'v', target, { allowExpired: true, onWarning });
    expect(onWarning).toHaveBeenCalledWith(expect.stringContaining('expired'));
    expect(await unseal(old.privateKeyPem, sealed, target)).toEqual(new TextEncoder().encode('v'));
  });

  it('refuses a certificate that is not valid yet', async () => {
    const future = await generateKeyPair({ bits: 2048, notBefore: new Date(Date.now() + 86_400_000) });
    await expect(seal(future.certificatePem, 'v', target)).rejects.toMatchObject({ code: 'expired-certificate' });
  });
});

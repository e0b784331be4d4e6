/**
 * Key pairs the way the Bitnami controller makes them: RSA (4096 by default),
 * a self-signed CA certificate valid 10 years, random 128-bit serial, common
 * name empty unless given. The RSA work is native WebCrypto; node-forge only
 * lays out the X.509 structure, and is loaded lazily (sealing never needs it).
 */
import type { asn1 } from 'node-forge';
import { TAG, encodeTlv } from './der.js';
import { SealkitError } from '../platform/errors.js';
import { MLKEM768, MLKEM768_EXTENSION_OID_TEXT, mlkemKeyFromSeed } from './mlkem-key.js';
import { toPem } from './pem.js';
import { privateKeyFromPkcs8 } from './rsa-keys.js';
import { buffer, randomBytes, subtle } from '../platform/webcrypto.js';

export interface KeyPairOptions {
  bits?: number;
  commonName?: string;
  validDays?: number;
  /** Start of validity; default now. */
  notBefore?: Date;
  /** Also make an ML-KEM-768 key: its encapsulation key goes into the certificate, its seed is returned. */
  postQuantum?: boolean;
}

export interface GeneratedKeyPair {
  /** PKCS#1 PEM, as the controller stores it in `tls.key`. */
  privateKeyPem: string;
  /** Self-signed certificate PEM, as stored in `tls.crt`. */
  certificatePem: string;
  /** With `postQuantum`: the 64-byte ML-KEM-768 seed, secret like the private key (keySecret stores it). */
  mlkemSeed?: Uint8Array;
}

const binary = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');
const fromBinary = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

export async function generateKeyPair(options: KeyPairOptions = {}): Promise<GeneratedKeyPair> {
  const { bits = 4096, commonName = '', validDays = 3650 } = options;
  if (!Number.isInteger(bits) || bits < 2048 || bits > 16384 || bits % 8 !== 0) {
    throw new SealkitError(
      'bad-input',
      `Key size ${bits} is not supported; use a multiple of 8 from 2048 to 16384 bits (4096 is the default).`,
    );
  }
  const crypto = await subtle();
  const pair = (await crypto.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await crypto.exportKey('pkcs8', pair.privateKey));
  const spki = new Uint8Array(await crypto.exportKey('spki', pair.publicKey));

  const { default: forge } = await import('node-forge');
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromAsn1(forge.asn1.fromDer(binary(spki)));
  const serial = await randomBytes(16);
  serial[0]! &= 0x7f; // a positive INTEGER
  cert.serialNumber = Array.from(serial, (b) => b.toString(16).padStart(2, '0')).join('');
  const notBefore = options.notBefore ?? new Date();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + validDays * 86_400_000);
  const name = commonName ? [{ name: 'commonName', value: commonName }] : [];
  cert.setSubject(name);
  cert.setIssuer(name);
  const mlkemSeed = options.postQuantum ? await randomBytes(MLKEM768.seedBytes) : undefined;
  const mlkem = mlkemSeed && (await mlkemKeyFromSeed(mlkemSeed, 'ML-KEM seed'));
  // What Go's x509.CreateCertificate writes for the controller's template, and the ML-KEM key.
  cert.setExtensions([
    { name: 'keyUsage', critical: true, encipherOnly: true },
    { name: 'basicConstraints', critical: true, cA: true },
    { name: 'subjectKeyIdentifier' },
    ...(mlkem
      ? [{ id: MLKEM768_EXTENSION_OID_TEXT, critical: false, value: binary(encodeTlv(TAG.OCTET_STRING, mlkem.encapsulationKey)) }]
      : []),
  ]);
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  // getTBSCertificate is public in node-forge but missing from its type declarations.
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: unknown): asn1.Asn1 }).getTBSCertificate(cert);
  const signature = await crypto.sign('RSASSA-PKCS1-v1_5', pair.privateKey, buffer(fromBinary(forge.asn1.toDer(tbs).getBytes())));
  (cert as unknown as { tbsCertificate: unknown }).tbsCertificate = tbs;
  cert.signature = binary(new Uint8Array(signature));
  const certificateDer = fromBinary(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes());

  return {
    privateKeyPem: toPem('RSA PRIVATE KEY', privateKeyFromPkcs8(pkcs8).pkcs1),
    certificatePem: toPem('CERTIFICATE', certificateDer),
    ...(mlkemSeed && { mlkemSeed }),
  };
}

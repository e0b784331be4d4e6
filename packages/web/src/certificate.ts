/** The certificate the page seals with: read from PEM, checked, and described for the user to verify. */
import { Keyring, SealkitError, checkValidity, fingerprint, parseCertificate, parsePemBlocks, type CertificateInfo } from '@sealkit/core';
import { UserError } from './errors.js';

export interface SealingCertificate {
  /** Holds only this certificate's public key: what core seals with. */
  keyring: Keyring;
  info: CertificateInfo;
  /** The controller's name for the key (`SHA256:…`), as its logs and `sealkit` print it. */
  keyFingerprint: string;
  /** As `openssl x509 -noout -fingerprint -sha256` prints it. */
  certificateSha256: string;
  bits: number;
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Refuses a certificate outside its validity period. Core decides (with its
 * clock-skew allowance); the sentence is the page's own, because core's points
 * to an allow-expired option that the page deliberately does not offer.
 */
export function checkDates(info: CertificateInfo, now = new Date()): void {
  try {
    checkValidity(info, { now });
  } catch (error) {
    if (!(error instanceof SealkitError && error.code === 'expired-certificate')) throw error;
    const problem =
      now > info.notAfter
        ? `This certificate expired on ${isoDay(info.notAfter)}`
        : `This certificate is not valid before ${isoDay(info.notBefore)}`;
    throw new UserError(`${problem}; load the controller's current certificate.`);
  }
}

async function sha256Colons(der: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

export async function readCertificate(pemText: string, now = new Date()): Promise<SealingCertificate> {
  const blocks = parsePemBlocks(pemText);
  if (blocks.some((block) => block.type.endsWith('PRIVATE KEY'))) {
    throw new UserError(
      "This text holds a private key; load the controller's public certificate instead, and keep private keys off this page.",
    );
  }
  const certificates = blocks.filter((block) => block.type === 'CERTIFICATE');
  if (certificates.length === 0)
    throw new UserError('No certificate was found; expected PEM text that starts with -----BEGIN CERTIFICATE-----.');
  if (certificates.length > 1) throw new UserError(`The text holds ${certificates.length} certificates; load only the one to seal with.`);
  const der = certificates[0]!.der;
  const info = parseCertificate(der); // refuses keys other than RSA
  checkDates(info, now);
  return {
    keyring: await Keyring.from(info.pem),
    info,
    keyFingerprint: await fingerprint(info.publicKey),
    certificateSha256: await sha256Colons(der),
    bits: info.publicKey.bits,
  };
}

/**
 * The certificate's text from `url`. The page's Content-Security-Policy lets it
 * connect to its own origin only, so any other origin is refused up front, in words.
 */
export async function fetchCertificateText(url: string, page: URL): Promise<string> {
  let target: URL;
  try {
    target = new URL(url, page);
  } catch {
    throw new UserError(`"${url}" is not a URL; give one such as ${new URL('/v1/cert.pem', page).href}.`);
  }
  if (target.origin !== page.origin) {
    throw new UserError(
      `This page may only fetch from its own origin (${page.origin}); download the certificate and load it as a file instead.`,
    );
  }
  let response: Response;
  try {
    response = await fetch(target, { cache: 'no-store', credentials: 'same-origin' });
  } catch {
    throw new UserError(`${target.href} could not be reached; check the URL, or load the certificate from a file.`);
  }
  if (!response.ok) {
    throw new UserError(`${target.href} answered ${response.status}; check the URL, or load the certificate from a file.`);
  }
  return response.text();
}

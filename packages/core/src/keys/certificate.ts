/** Reads what sealing needs from an X.509 certificate: its RSA key, validity and names. */
import { fromUtf8 } from '../platform/bytes.js';
import { TAG, decodeOid, decodeTime, expectTlv, readChildren, unsignedInteger, type Tlv } from './der.js';
import { SealkitError } from '../platform/errors.js';
import { encapsulationKeyFromExtension, isMlKemExtension } from './mlkem-key.js';
import { toPem } from './pem.js';
import { publicKeyFromSpki, type RsaPublicKey } from './rsa-keys.js';

export interface CertificateInfo {
  pem: string;
  publicKey: RsaPublicKey;
  notBefore: Date;
  notAfter: Date;
  serialNumber: string; // lowercase hex
  commonName: string; // '' when the subject has none (the controller's default)
  /** The ML-KEM-768 encapsulation key of a post-quantum certificate (see mlkem-key.ts). */
  mlkemEncapsulationKey?: Uint8Array;
}

const COMMON_NAME_OID = '2.5.4.3';
const CONTEXT_0 = 0xa0; // [0] EXPLICIT version
const CONTEXT_3 = 0xa3; // [3] EXPLICIT extensions

function commonNameOf(name: Tlv): string {
  for (const rdn of readChildren(name.value, 'certificate subject')) {
    for (const attribute of readChildren(rdn.value, 'certificate subject')) {
      const [oid, value] = readChildren(attribute.value, 'certificate subject');
      if (oid && value && decodeOid(oid.value) === COMMON_NAME_OID) return fromUtf8(value.value);
    }
  }
  return '';
}

/** The ML-KEM encapsulation key among the extensions, if the certificate has one. */
function mlkemKeyOf(extensions: Tlv | undefined): Uint8Array | undefined {
  if (!extensions) return undefined;
  const what = 'certificate extensions';
  for (const extension of readChildren(expectTlv(extensions.value, TAG.SEQUENCE, what).value, what)) {
    const [oid, ...rest] = readChildren(extension.value, what);
    const value = rest.at(-1);
    if (oid?.tag !== TAG.OID || value?.tag !== TAG.OCTET_STRING) throw new SealkitError('bad-input', 'The certificate is not valid DER.');
    if (isMlKemExtension(oid.value)) return encapsulationKeyFromExtension(value.value);
  }
  return undefined;
}

export function parseCertificate(der: Uint8Array): CertificateInfo {
  const what = 'certificate';
  const [tbs] = readChildren(expectTlv(der, TAG.SEQUENCE, what).value, what);
  if (tbs?.tag !== TAG.SEQUENCE) throw new SealkitError('bad-input', 'The certificate is not valid DER.');
  const fields = readChildren(tbs.value, what);
  if (fields[0]?.tag === CONTEXT_0) fields.shift();
  const [serial, , , validity, subject, spki, ...optional] = fields;
  if (serial?.tag !== TAG.INTEGER || validity?.tag !== TAG.SEQUENCE || subject?.tag !== TAG.SEQUENCE || spki?.tag !== TAG.SEQUENCE) {
    throw new SealkitError('bad-input', 'The certificate is not valid DER.');
  }
  const [notBefore, notAfter] = readChildren(validity.value, what);
  const mlkemEncapsulationKey = mlkemKeyOf(optional.find((field) => field.tag === CONTEXT_3));
  if (!notBefore || !notAfter) throw new SealkitError('bad-input', 'The certificate is not valid DER.');
  return {
    pem: toPem('CERTIFICATE', der),
    publicKey: publicKeyFromSpki(spki.raw, "certificate's public key"),
    notBefore: decodeTime(notBefore, what),
    notAfter: decodeTime(notAfter, what),
    serialNumber: Array.from(unsignedInteger(serial.value), (b) => b.toString(16).padStart(2, '0')).join(''),
    commonName: commonNameOf(subject),
    ...(mlkemEncapsulationKey && { mlkemEncapsulationKey }),
  };
}

export interface ValidityOptions {
  /** Seal with an expired (or not yet valid) certificate anyway, with a warning. */
  allowExpired?: boolean;
  /** Receives the warning when `allowExpired` lets an expired certificate through; default console.warn. */
  onWarning?: (message: string) => void;
  now?: Date;
}

const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Refuses a certificate outside its validity period, unless explicitly allowed. */
export function checkValidity(certificate: CertificateInfo, options: ValidityOptions = {}): void {
  const now = (options.now ?? new Date()).getTime();
  const day = (d: Date) => d.toISOString().slice(0, 10);
  let problem: string | undefined;
  if (now > certificate.notAfter.getTime()) problem = `The certificate expired on ${day(certificate.notAfter)}`;
  else if (now + CLOCK_SKEW_MS < certificate.notBefore.getTime())
    problem = `The certificate is not valid before ${day(certificate.notBefore)}`;
  if (!problem) return;
  if (!options.allowExpired) {
    throw new SealkitError(
      'expired-certificate',
      `${problem}; fetch the controller's current certificate, or pass the allow-expired option to seal anyway.`,
    );
  }
  (options.onWarning ?? console.warn)(`warning: ${problem}; sealing with it anyway.`);
}

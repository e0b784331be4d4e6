// Sprig's genPrivateKey: a fresh key as PEM, in the DER forms Go's x509 writes (random in Go too, so
// the form is what matches). ecdsa (P-256, SEC 1 "EC PRIVATE KEY") and ed25519 (PKCS #8 "PRIVATE KEY")
// are made here; 4096-bit RSA and DSA take seconds in JavaScript, beyond any render's budget.
import { p256 } from '@noble/curves/nist.js';
import { b64enc } from '../base-encoding.js';
import { charge } from '../limits.js';
import { bytesToBstr } from '../utf8.js';
import { defineFuncs, strArg } from './signature.js';

const bytes = (...parts: (number[] | Uint8Array)[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

/** pem.EncodeToMemory: base64 in lines of 64. */
function pem(type: string, der: Uint8Array): string {
  const body = b64enc(bytesToBstr(der)).replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`;
}

/** x509.MarshalECPrivateKey of a P-256 key: version 1, the scalar, the curve's OID and the public point. */
function ecdsaP256(): string {
  const secret = p256.utils.randomSecretKey();
  const point = p256.getPublicKey(secret, false);
  const oid = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
  return pem(
    'EC PRIVATE KEY',
    bytes([0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20], secret, [0xa0, 0x0a], oid, [0xa1, 0x44, 0x03, 0x42, 0x00], point),
  );
}

/** x509.MarshalPKCS8PrivateKey of an Ed25519 key: version 0, the algorithm 1.3.101.112 and the seed. */
function ed25519(): string {
  const seed = crypto.getRandomValues(new Uint8Array(32));
  return pem('PRIVATE KEY', bytes([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20], seed));
}

function generatePrivateKey(type: string): string {
  switch (type) {
    case 'ecdsa':
      return ecdsaP256();
    case 'ed25519':
      return ed25519();
    case '':
    case 'rsa':
    case 'dsa':
      charge(Number.POSITIVE_INFINITY); // fails the render with budget-exceeded
      return '';
    default:
      return `Unknown type ${type}`;
  }
}

export const PRIVATE_KEY_FUNCS = defineFuncs((def) => {
  def('genPrivateKey', ['string'], (a) => generatePrivateKey(strArg(a, 0)));
});

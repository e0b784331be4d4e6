/** The scripting API: one value in, one value out. */
import { checkValidity, type ValidityOptions } from './keys/certificate.js';
import { SealkitError } from './platform/errors.js';
import { Keyring, type KeyringSealOptions } from './keys/keyring.js';
import type { Target } from './objects/scope.js';

export type Keys = Keyring | string | readonly string[];

// Parsing and importing a key costs more than sealing a small value, so the
// last few key texts stay parsed. Bounded: callers may pass many different keys.
const CACHE_LIMIT = 8;
const MIN_SEALING_BITS = 2048;
const parsed = new Map<string, Promise<Keyring>>();

function cachedKeyring(text: string): Promise<Keyring> {
  let keyring = parsed.get(text);
  if (!keyring) {
    keyring = Keyring.from(text);
    keyring.catch(() => parsed.delete(text));
    parsed.set(text, keyring);
    if (parsed.size > CACHE_LIMIT) parsed.delete(parsed.keys().next().value!);
  }
  return keyring;
}

/** A keyring from a keyring, a PEM / key-backup text, or several texts. */
export async function toKeyring(keys: Keys): Promise<Keyring> {
  if (keys instanceof Keyring) return keys;
  if (typeof keys === 'string') return cachedKeyring(keys);
  return Keyring.from(...keys);
}

/** A keyring that seals with the certificate or public key in `pem`, refusing an expired certificate. */
export async function sealingKeyring(pem: string | Keyring, options: ValidityOptions = {}): Promise<Keyring> {
  const keyring = await toKeyring(pem);
  const active = keyring.keys[0];
  if (!active) throw new SealkitError('bad-key', 'No certificate or public key was found to seal with.');
  // Go's controller would open smaller keys, but nothing should seal to them any more.
  if (active.bits < MIN_SEALING_BITS) {
    throw new SealkitError(
      'bad-key',
      `The ${active.bits}-bit RSA key is too small to seal with; use a key of at least ${MIN_SEALING_BITS} bits.`,
    );
  }
  if (active.certificate) checkValidity(active.certificate, options);
  return keyring;
}

/** Seals one value for `target` (post-quantum when the certificate carries an ML-KEM key, unless `classic`); returns standard base64. */
export async function seal(
  certOrPublicKeyPem: string | Keyring,
  plaintext: Uint8Array | string,
  target: Target,
  options?: ValidityOptions & KeyringSealOptions,
): Promise<string> {
  return (await sealingKeyring(certOrPublicKeyPem, options)).seal(plaintext, target, options);
}

/** Opens one base64 value sealed for `target` with any of `keys`. */
export async function unseal(keys: Keys, sealed: string, target: Target): Promise<Uint8Array> {
  return (await (await toKeyring(keys)).open(sealed, target)).plaintext;
}

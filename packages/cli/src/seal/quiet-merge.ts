/**
 * Quiet diffs for --merge-into: a value merged in with the plaintext the file
 * already holds keeps the file's ciphertext, so Git shows only real changes.
 * Needs keys that open the file (the local keyring); without, every merged
 * value is sealed anew, as kubeseal does.
 */
import { fromBase64, SealkitError, type Keyring, type SealedSecretManifest } from '@sealkit/core';
import { isObject, type KubeObject } from '@sealkit/core/manifest';
import { hasLocalKeyring, loadLocalKeyring } from '../keys/local-keyring.js';
import { targetOf } from './sealed-values.js';

/** The local keyring when there is one; merging works without. */
export async function keysAtHand(): Promise<Keyring | undefined> {
  return hasLocalKeyring() ? loadLocalKeyring() : undefined;
}

/** The Secret's plaintext values, as the API server would store them (stringData wins over data). */
function plaintexts(secret: KubeObject): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  if (isObject(secret.data))
    for (const [key, value] of Object.entries(secret.data)) if (typeof value === 'string') out.set(key, fromBase64(value, `data "${key}"`));
  if (isObject(secret.stringData))
    for (const [key, value] of Object.entries(secret.stringData))
      if (typeof value === 'string') out.set(key, new TextEncoder().encode(value));
  return out;
}

/** `update` with the target's own ciphertext for every value whose plaintext did not change. */
export async function keepUnchangedValues(
  target: SealedSecretManifest,
  secret: KubeObject,
  update: SealedSecretManifest,
  keyring: Keyring | undefined,
): Promise<SealedSecretManifest> {
  const existing = isObject(target.spec?.encryptedData) ? target.spec.encryptedData : {};
  if (!keyring || Object.keys(existing).length === 0) return update;
  const values = plaintexts(secret);
  const label = targetOf(target);
  const encryptedData = { ...update.spec.encryptedData };
  await Promise.all(
    Object.keys(encryptedData).map(async (key) => {
      const before = existing[key];
      const now = values.get(key);
      if (typeof before !== 'string' || !now) return;
      try {
        const { plaintext } = await keyring.open(before, label);
        if (Buffer.from(plaintext).equals(now)) encryptedData[key] = before;
      } catch (error) {
        if (!(error instanceof SealkitError)) throw error; // the keys do not open it: sealed anew
      }
    }),
  );
  return { ...update, spec: { ...update.spec, encryptedData } };
}

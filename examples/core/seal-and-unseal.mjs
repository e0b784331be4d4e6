// The @sealkit/core scripting API end to end, no cluster needed:
//   node examples/core/seal-and-unseal.mjs
import { Keyring, generateKeyPair, seal, sealSecret, unseal, unsealSecret } from '@sealkit/core';

// 1. A key pair like the controller's (RSA-4096, self-signed 10-year certificate).
const { privateKeyPem, certificatePem } = await generateKeyPair();

// 2. One value, bound to namespace "default" and name "db-credentials" (strict scope).
const target = { namespace: 'default', name: 'db-credentials' };
const sealed = await seal(certificatePem, 'correct-horse-battery-staple', target);
console.log('sealed value:', `${sealed.slice(0, 40)}…`);
console.log('opened value:', new TextDecoder().decode(await unseal(privateKeyPem, sealed, target)));

// 3. A whole Secret manifest, as kubeseal does it, and back, as the controller does it.
const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db-credentials', namespace: 'default', labels: { app: 'db' } },
  stringData: { username: 'admin', password: 'correct-horse-battery-staple' },
};
const sealedSecret = await sealSecret(secret, certificatePem);
console.log('SealedSecret keys:', Object.keys(sealedSecret.spec.encryptedData).join(', '));

// 4. Keyrings: the newest key seals, every key still opens.
const keyring = await Keyring.from(certificatePem + privateKeyPem);
const next = await generateKeyPair({ bits: 2048 });
await keyring.add(next.certificatePem + next.privateKeyPem);
console.log('keys (newest first):', keyring.fingerprints.join(' '));
const restored = await unsealSecret(sealedSecret, keyring);
console.log('unsealed Secret data keys:', Object.keys(restored.data ?? {}).join(', '));

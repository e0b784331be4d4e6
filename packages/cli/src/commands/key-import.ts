/**
 * sealkit keys --import BACKUP: a cluster's keys (a controller key backup, or PEM
 * files) copied into the local keyring, so its SealedSecrets open and reseal
 * offline. Each key keeps its creation time, so the newest one still seals.
 */
import { createPrivateKey } from 'node:crypto';
import { fingerprint, Keyring, parseKeyMaterial } from '@sealkit/core';
import { readTextFile } from '../input/files.js';
import { loadLocalKeyring, localKeyringDescription, writeLocalKey } from '../keys/local-keyring.js';
import { writeOutput } from '../output/output.js';
import { asClause, CliError } from '../program/errors.js';
import { warn } from '../program/log.js';

export async function importKeysCommand(file: string): Promise<void> {
  const text = readTextFile(file, 'key backup');
  let materials;
  try {
    materials = parseKeyMaterial(text);
    // Checked as a keyring checks them (an ML-KEM seed must derive its certificate's key) before anything is written.
    await new Keyring().add(...materials);
  } catch (error) {
    throw new CliError(
      `Cannot read the key backup "${file}": ${asClause((error as Error).message)}; give a controller key backup (kubectl get secret -n kube-system -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml) or PEM files.`,
    );
  }
  const present = new Set((await loadLocalKeyring())?.fingerprints ?? []);
  let imported = 0;
  let skipped = 0;
  let seedless = 0;
  for (const material of materials) {
    if (!material.privateKey) continue; // certificates alone: the keyring needs the private key
    const id = await fingerprint(material.publicKey);
    if (present.has(id)) {
      skipped++;
      continue;
    }
    if (!material.certificate) {
      warn(`skipping the key ${id}: it has no certificate beside it, and the local keyring seals with certificates.`);
      continue;
    }
    if (material.certificate.mlkemEncapsulationKey && !material.mlkemSeed) {
      // It would seal post-quantum values that the local keyring could not open.
      seedless++;
      warn(
        `skipping the key ${id}: its certificate carries an ML-KEM key but its seed is missing; import the whole key Secret (with "mlkem768.seed").`,
      );
      continue;
    }
    const privateKeyPem = createPrivateKey({ key: Buffer.from(material.privateKey.pkcs8), format: 'der', type: 'pkcs8' }).export({
      format: 'pem',
      type: 'pkcs8',
    }) as string;
    writeLocalKey(material.certificate.pem, privateKeyPem, material.createdAt ?? material.certificate.notBefore, material.mlkemSeed);
    present.add(id);
    imported++;
  }
  if (imported + skipped === 0 && seedless > 0)
    throw new CliError(
      `The file "${file}" holds post-quantum keys without their ML-KEM seeds; export the key Secrets whole (kubectl get secret -o yaml keeps "mlkem768.seed").`,
    );
  if (imported + skipped === 0)
    throw new CliError(
      `The file "${file}" holds no private key with its certificate; a controller key backup has both (tls.key and tls.crt).`,
    );
  writeOutput(`Imported ${imported} key(s) into ${localKeyringDescription()}${skipped ? ` (${skipped} already there)` : ''}.\n`);
}

/** The local keyring's commands: keygen, rotate, keys, cert. */
import type { Command } from 'commander';
import type { KeyInfo } from '@sealkit/core';
import { renderJson, renderObject, renderYaml } from '@sealkit/core/manifest';
import { addLocalKey, hasLocalKeyring, localKeyBackup, localKeyringDescription, requireLocalKeyring } from '../keys/local-keyring.js';
import { outputFormat, writeOutput } from '../output/output.js';
import { CliError } from '../program/errors.js';
import type { GlobalOptions } from '../program/options.js';
import { clusterKey, renderClusterKey } from './cluster-key.js';

interface KeygenOptions extends GlobalOptions {
  keySize: number;
  validDays: number;
  commonName: string;
  postQuantum?: boolean;
}

const day = (date: Date | undefined) => date?.toISOString().slice(0, 10) ?? 'unknown';
const algorithms = (key: KeyInfo) => `RSA-${key.bits}${key.postQuantum ? ' + ML-KEM-768' : ''}`;

/** keygen (a new keyring) and rotate (a new newest key in an existing one). */
export async function keygenCommand(options: KeygenOptions, rotating: boolean): Promise<void> {
  const exists = hasLocalKeyring();
  if (!rotating && exists) {
    throw new CliError(`The local keyring in ${localKeyringDescription()} already has keys; run 'sealkit rotate' to add a newer key.`);
  }
  if (rotating && !exists)
    throw new CliError(`There is no local keyring in ${localKeyringDescription()} yet; run 'sealkit keygen' to create it.`);
  const keyring = await addLocalKey({
    bits: options.keySize,
    validDays: options.validDays,
    commonName: options.commonName,
    postQuantum: options.postQuantum,
  });
  const key = keyring.keys[0]!;
  const next = rotating
    ? "It seals from now on; older keys still open. Re-seal files with 'sealkit --re-encrypt -f FILE'."
    : "Seal with 'sealkit -o yaml < secret.yaml'; back it up with 'sealkit keys --export'.";
  writeOutput(
    `Created key ${key.fingerprint} (${algorithms(key)}, certificate valid until ${day(key.certificate?.notAfter)}) in ${localKeyringDescription()}.\n${next}\n`,
  );
}

function keyLine(key: KeyInfo): string {
  return [
    key.active ? '*' : ' ',
    key.fingerprint,
    `created ${day(key.createdAt)}`,
    `expires ${day(key.certificate?.notAfter)}`,
    algorithms(key),
  ].join('  ');
}

/** Lists the keys, as a table, or as data with an explicit -o json|yaml; --export writes a key backup. */
export async function keysCommand(options: GlobalOptions & { export?: boolean }, formatChosen: boolean, command: Command): Promise<void> {
  // With no local keyring, a configured cluster's active key is still worth showing.
  if (!options.export && !hasLocalKeyring()) {
    const cluster = await clusterKey(options, command, undefined);
    if (cluster)
      return writeOutput(
        formatChosen ? renderClusterKey(cluster, outputFormat(options.format, options.sealedSecretFile)) : `${cluster.line}\n`,
        options.sealedSecretFile,
      );
  }
  const keyring = await requireLocalKeyring();
  const format = outputFormat(options.format, options.sealedSecretFile);
  if (options.export) {
    writeOutput(renderObject(localKeyBackup(options.controllerNamespace), format), options.sealedSecretFile, { private: true });
    return;
  }
  if (formatChosen) {
    const rows: object[] = keyring.keys.map((k) => ({
      fingerprint: k.fingerprint,
      active: k.active,
      bits: k.bits,
      createdAt: k.createdAt?.toISOString(),
      expiresAt: k.certificate?.notAfter.toISOString(),
    }));
    const cluster = await clusterKey(options, command, keyring);
    if (cluster) rows.push(cluster.row);
    writeOutput(format === 'json' ? renderJson(rows) : renderYaml(rows), options.sealedSecretFile);
    return;
  }
  const cluster = await clusterKey(options, command, keyring);
  writeOutput(`${[...keyring.keys.map(keyLine), ...(cluster ? [cluster.line] : [])].join('\n')}\n`, options.sealedSecretFile);
}

export async function certCommand(options: GlobalOptions): Promise<void> {
  const keyring = await requireLocalKeyring();
  const pem = keyring.activeCertificatePem;
  if (!pem) throw new CliError("The local keyring's newest key has no certificate; run 'sealkit rotate' to make a new key.");
  writeOutput(pem, options.sealedSecretFile);
}

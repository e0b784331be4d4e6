/**
 * The local keyring, for sealing without a cluster: $SEALKIT_HOME/keys (default
 * ~/.config/sealkit/keys), one file per key, each exactly the Secret the
 * controller keeps (kubernetes.io/tls, tls.crt + tls.key, the sealed-secrets-key
 * label). So the directory loads with Keyring.from, a List of its files is a
 * controller key backup, and a backup's Secrets are valid key files.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Keyring, generateKeyPair, keySecret, type KeyPairOptions } from '@sealkit/core';
import { isObject, parseSource, renderYaml, type KubeObject } from '@sealkit/core/manifest';
import { readTextFile, writeFileAtomic } from '../input/files.js';
import { CliError } from '../program/errors.js';
import { loadKeyFiles } from './key-files.js';

export function sealkitHome(): string {
  return process.env.SEALKIT_HOME || join(homedir(), '.config', 'sealkit');
}

function keysDirectory(): string {
  return join(sealkitHome(), 'keys');
}

/** The key files, oldest name first; none when the keyring does not exist. */
function keyFiles(): string[] {
  try {
    return readdirSync(keysDirectory())
      .filter((name) => name.endsWith('.yaml'))
      .sort()
      .map((name) => join(keysDirectory(), name));
  } catch {
    return [];
  }
}

export function hasLocalKeyring(): boolean {
  return keyFiles().length > 0;
}

/** Where the local keyring lives, for messages. */
export function localKeyringDescription(): string {
  return keysDirectory();
}

/** The local keyring; the error says how to make one. */
export async function requireLocalKeyring(): Promise<Keyring> {
  const keyring = await loadLocalKeyring();
  if (!keyring) throw new CliError(`There is no local keyring in ${localKeyringDescription()}; run 'sealkit keygen' to create one.`);
  return keyring;
}

/** The local keyring, or undefined when it has no keys. */
export async function loadLocalKeyring(): Promise<Keyring | undefined> {
  const files = keyFiles();
  if (files.length === 0) return undefined;
  const keyring = await loadKeyFiles(files, 'local key file', 'restore it from a backup or remove it');
  return keyring;
}

// Kubernetes' generateName alphabet: no vowels, no look-alike characters.
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function generatedName(): string {
  return `sealed-secrets-key${Array.from({ length: 5 }, () => NAME_ALPHABET[randomInt(NAME_ALPHABET.length)]).join('')}`;
}

const KEY_FILE_HEADER = '# A sealkit key: a controller-compatible key Secret. It holds a PRIVATE KEY; never commit or share it.\n';

/** Makes a key pair and adds it to the local keyring as the newest (sealing) key; returns the keyring. */
export async function addLocalKey(options: KeyPairOptions): Promise<Keyring> {
  const existing = await loadLocalKeyring();
  const newest = existing?.keys[0]?.createdAt?.getTime() ?? 0;
  const createdAt = new Date(Math.max(Date.now(), newest + 1));
  const { certificatePem, privateKeyPem, mlkemSeed } = await generateKeyPair({ ...options, notBefore: options.notBefore ?? createdAt });
  const keyring = existing ?? new Keyring();
  return keyring.add(writeLocalKey(certificatePem, privateKeyPem, createdAt, mlkemSeed));
}

/** Writes one key file (0600) into the keyring directory, with a post-quantum key's ML-KEM seed; returns its text. */
export function writeLocalKey(certificatePem: string, privateKeyPem: string, createdAt: Date, mlkemSeed?: Uint8Array): string {
  mkdirSync(keysDirectory(), { recursive: true, mode: 0o700 });
  const name = generatedName();
  const file = join(keysDirectory(), `${createdAt.toISOString().replace(/[:.]/g, '')}-${name}.yaml`);
  writeFileAtomic(
    file,
    KEY_FILE_HEADER +
      renderYaml(
        keySecret({
          certificatePem,
          privateKeyPem,
          mlkemSeed,
          // Milliseconds, so keys made in the same second still order newest-last.
          metadata: { name, creationTimestamp: createdAt.toISOString() },
        }),
      ),
    { mode: 0o600, forceMode: true },
  );
  return readTextFile(file, 'local key file');
}

/** The local keys as a controller key backup: a v1 List of key Secrets in `namespace`. */
export function localKeyBackup(namespace: string): KubeObject {
  const items = keyFiles().flatMap((file) =>
    parseSource(readTextFile(file, 'local key file'), `local key file "${file}"`)
      .documents.map((document) => document.value)
      .filter(isObject)
      .map((secret) => ({ ...secret, metadata: { ...(secret.metadata as KubeObject), namespace } })),
  );
  return { apiVersion: 'v1', kind: 'List', items };
}

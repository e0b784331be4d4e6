/**
 * sealkit diff OLD NEW: which keys of which SealedSecrets were added, removed or
 * changed. Resealing changes a ciphertext even when the value is the same, so
 * with private keys (--key, or the local keyring when it opens them) changed
 * ciphertexts are opened and the values compared; without, only ciphertexts are.
 * Values are never printed. Exit status as diff(1): 0 same, 1 different, 2 trouble.
 */
import { escapeName, scopeFromAnnotations, type Keyring, type SealedSecretManifest, type Target } from '@sealkit/core';
import { describeObject, isObject, type KubeObject } from '@sealkit/core/manifest';
import { localOpeningKeys } from '../keys/key-sources.js';
import { writeOutput } from '../output/output.js';
import { CliError, describeError } from '../program/errors.js';
import type { GlobalOptions } from '../program/options.js';
import { readSealedSecrets } from './unseal.js';

const DIFFERENT = 1;
const TROUBLE = 2;

function targetOf(sealed: SealedSecretManifest): Target {
  const { namespace, name, annotations } = sealed.metadata;
  return { namespace, name, scope: scopeFromAnnotations(annotations) };
}

function encryptedData(sealed: SealedSecretManifest): Record<string, unknown> {
  return isObject(sealed.spec?.encryptedData) ? sealed.spec.encryptedData : {};
}

async function sameValue(
  keyring: Keyring,
  before: SealedSecretManifest,
  after: SealedSecretManifest,
  key: string,
): Promise<boolean | undefined> {
  try {
    const [a, b] = await Promise.all([
      keyring.open(String(encryptedData(before)[key]), targetOf(before)),
      keyring.open(String(encryptedData(after)[key]), targetOf(after)),
    ]);
    return Buffer.from(a.plaintext).equals(b.plaintext);
  } catch {
    return undefined; // the keys do not open it: only the ciphertexts can be compared
  }
}

/** The lines for one SealedSecret present in both files. */
async function keyChanges(
  before: SealedSecretManifest,
  after: SealedSecretManifest,
  keyring: Keyring | undefined,
): Promise<{ lines: string[]; differs: boolean }> {
  const old = encryptedData(before);
  const now = encryptedData(after);
  const lines: string[] = [];
  let differs = false;
  for (const key of [...new Set([...Object.keys(old), ...Object.keys(now)])].sort()) {
    if (!(key in now)) lines.push(`  - ${escapeName(key)}`);
    else if (!(key in old)) lines.push(`  + ${escapeName(key)}`);
    else if (old[key] === now[key]) continue;
    else {
      const same = keyring && (await sameValue(keyring, before, after, key));
      if (same === true) {
        lines.push(`  = ${escapeName(key)} (resealed, same value)`);
        continue;
      }
      lines.push(
        `  ~ ${escapeName(key)} (${same === false ? 'value changed' : `ciphertext changed; ${keyring ? 'the keys do not open it' : 'pass --key to compare the values'}`})`,
      );
    }
    differs = true;
  }
  return { lines, differs };
}

function byName(objects: KubeObject[]): Map<string, SealedSecretManifest> {
  return new Map(objects.map((object) => [describeObject(object), object as unknown as SealedSecretManifest]));
}

async function compare(oldFile: string, newFile: string, keyring: Keyring | undefined): Promise<{ report: string; differs: boolean }> {
  const before = byName((await readSealedSecrets([oldFile], undefined)).objects);
  const after = byName((await readSealedSecrets([newFile], undefined)).objects);
  const out: string[] = [];
  let differs = false;
  for (const name of [...new Set([...before.keys(), ...after.keys()])]) {
    const a = before.get(name);
    const b = after.get(name);
    if (!a || !b) {
      const keys = Object.keys(encryptedData((a ?? b)!))
        .map(escapeName)
        .join(', ');
      out.push(`${b ? '+' : '-'} ${name}${keys ? ` (keys: ${keys})` : ''}`);
      differs = true;
      continue;
    }
    const changes = await keyChanges(a, b, keyring);
    if (changes.lines.length > 0) out.push(`${name}:`, ...changes.lines);
    differs ||= changes.differs;
  }
  return { report: out.length > 0 ? `${out.join('\n')}\n` : '', differs };
}

export async function diffCommand(
  oldFile: string,
  newFile: string,
  options: GlobalOptions & { key: string[]; recoveryPrivateKey: string[] },
): Promise<void> {
  try {
    const keyring = await localOpeningKeys([...options.key, ...options.recoveryPrivateKey]);
    const { report, differs } = await compare(oldFile, newFile, keyring);
    writeOutput(report);
    if (differs) process.exitCode = DIFFERENT;
  } catch (error) {
    throw new CliError(describeError(error).message ?? 'The files could not be compared.', TROUBLE);
  }
}

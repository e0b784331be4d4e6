/**
 * sealkit diff --textconv FILE: the file as Git should compare it. Each sealed
 * value is replaced by a stand-in that changes only when the value does: with
 * keys that open it, a keyed hash of the plaintext (HMAC-SHA256 under a random
 * key kept in $SEALKIT_HOME/textconv.key, so it cannot be used to guess values);
 * without, a hash of the ciphertext. Every other byte is the file's own. Set up as
 * a Git diff driver (packages/cli/README.md), resealing no longer shows in diffs.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSealedSecret, SealkitError, type Keyring } from '@sealkit/core';
import { isObject, parseSource, type KubeObject } from '@sealkit/core/manifest';
import { readTextFile, writeFileAtomic } from '../input/files.js';
import { localOpeningKeys } from '../keys/key-sources.js';
import { sealkitHome } from '../keys/local-keyring.js';
import { writeOutput } from '../output/output.js';
import { applySplices } from '../output/yaml-edit.js';
import { CliError } from '../program/errors.js';
import { sealedEntries, targetOf, valueSplices, type ValueKey } from '../seal/sealed-values.js';

const STAND_IN_HEX = 16;

/** The random key for the plaintext hashes: made once, private to the user. */
function standInKey(): Buffer {
  const file = join(sealkitHome(), 'textconv.key');
  try {
    const key = readFileSync(file);
    if (key.length >= 32) return key;
  } catch {
    // Not made yet.
  }
  mkdirSync(sealkitHome(), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileAtomic(file, key, { mode: 0o600, forceMode: true });
  return key;
}

async function standIn(
  value: unknown,
  keyring: Keyring | undefined,
  hmacKey: () => Buffer,
  target: ReturnType<typeof targetOf>,
): Promise<string> {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (keyring) {
    try {
      const { plaintext } = await keyring.open(text, target);
      return `sealkit-value:${createHmac('sha256', hmacKey()).update(plaintext).digest('hex').slice(0, STAND_IN_HEX)}`;
    } catch (error) {
      if (!(error instanceof SealkitError)) throw error;
    }
  }
  return `sealkit-sealed:${createHash('sha256').update(text).digest('hex').slice(0, STAND_IN_HEX)}`;
}

export async function textconvCommand(file: string, keyFiles: string[]): Promise<void> {
  const source = readTextFile(file, 'file');
  let documents;
  try {
    documents = parseSource(source, `file "${file}"`).documents;
  } catch (error) {
    if (!(error instanceof CliError || error instanceof SealkitError)) throw error;
    return writeOutput(source); // not a manifest Git should see differently: as it is
  }
  const keyring = await localOpeningKeys(keyFiles);
  let key: Buffer | undefined;
  const hmacKey = () => (key ??= standInKey());
  const splices = [];
  for (const document of documents) {
    if (!isSealedSecret(document.value) || !isObject(document.value.spec)) continue;
    const target = targetOf(document.value as unknown as KubeObject);
    const replacements = new Map<ValueKey, string>();
    for (const [valueKey, value] of sealedEntries(document.value as unknown as KubeObject))
      replacements.set(valueKey, await standIn(value, keyring, hmacKey, target));
    splices.push(...valueSplices(source, document, replacements));
  }
  writeOutput(applySplices(source, splices));
}

/**
 * sealkit reseal PATH...: every SealedSecret in the files (directories searched for
 * *.yaml, *.yml, *.json) opened with the given keys and sealed again for the newest
 * certificate, offline. Only the changed values' bytes change (yaml-edit splices; in
 * JSON the quoted base64 itself); values that the newest key already opens stay as
 * they are. Files are processed concurrently so the RSA work fills every core
 * (core's KeyPool holds several copies of each key for the thread pool), and the main
 * thread does as little else as it can: files as kubeseal writes them are read by a
 * quick scan instead of the full YAML parser (reseal-scan.ts), and the flush of each
 * write waits in the thread pool.
 */
import type { Command } from 'commander';
import { inspectSealed, isSealedSecret, sealingKeyring, SealkitError, type Keyring, type SealedFormat, type Target } from '@sealkit/core';
import { describeObject, isObject, parseSource, STREAM_YAML_LIMITS, type KubeObject } from '@sealkit/core/manifest';
import { readTextFile, writeFileAtomicInBackground } from '../input/files.js';
import { manifestFiles, mapConcurrently } from '../input/manifest-paths.js';
import { localOpeningKeys, NO_OPENING_KEYS_HINT, noteFormat, sealingKeys, validityOptions } from '../keys/key-sources.js';
import { writeOutput } from '../output/output.js';
import { applySplices, type Splice } from '../output/yaml-edit.js';
import { asClause, CliError, describeError } from '../program/errors.js';
import { keySourceOptions, type KubesealOptions } from '../program/options.js';
import { Progress } from '../program/progress.js';
import { sealedEntries, targetOf, valueName, valueSplices, type ValueKey } from '../seal/sealed-values.js';
import { scanSealedYaml } from '../input/sealed-yaml-scan.js';

export interface ResealOptions extends KubesealOptions {
  key: string[];
  dryRun?: boolean;
}

/** Files in flight at once: enough values queued to keep the thread pool busy. */
const FILES_IN_FLIGHT = 32;

interface Resealer {
  opening: Keyring;
  sealing: Keyring;
  newest: string;
  /** --classic: Bitnami's format even with a post-quantum certificate. */
  classic: boolean;
  /** The format values end in; a value the newest key opens in the other format is resealed too. */
  format: SealedFormat;
  /** The key that opened the last value: in a repository most values share it, so it is tried first. */
  lastOpener?: string;
  /** The first value's opening, which the others wait for until a key has opened one (see openValue). */
  firstOpening?: Promise<unknown>;
}

/** A SealedSecret of a file and how to write new text for some of its values. */
interface SealedDocument {
  value: KubeObject;
  splices(changed: ReadonlyMap<ValueKey, string>): Splice[];
}

interface FileOutcome {
  path: string;
  changed: number;
  kept: number;
  /** Why values (or the file) could not be resealed: names and keys only, never values. */
  failures: string[];
}

/**
 * Opens a value with the key that opened the last one first. Until one has opened, the keys are
 * tried newest first, and the newest opens none of the values a reseal changes: so the first
 * value is opened alone and the others wait for it, rather than each wasting a private-key
 * operation (a run starts ~100 values at once).
 */
async function openValue(resealer: Resealer, value: string, target: Target) {
  if (resealer.lastOpener === undefined) {
    if (resealer.firstOpening) await resealer.firstOpening;
    else {
      const opening = resealer.opening.open(value, target);
      // Noted before the waiting values go on (resealValue notes it too late for them).
      resealer.firstOpening = opening.then(
        (opened) => (resealer.lastOpener = opened.fingerprint),
        () => undefined,
      );
      return opening;
    }
  }
  return resealer.opening.open(value, target, resealer.lastOpener);
}

/** The sealed value's new text, or undefined when the newest key already opens it, in the format asked for. */
async function resealValue(resealer: Resealer, value: unknown, target: Target): Promise<string | undefined> {
  if (typeof value !== 'string') throw new SealkitError('bad-input', 'The sealed value is not a string.');
  const opened = await openValue(resealer, value, target);
  resealer.lastOpener = opened.fingerprint;
  if (opened.fingerprint === resealer.newest && inspectSealed(value).format === resealer.format) return undefined;
  return resealer.sealing.seal(opened.plaintext, target, { classic: resealer.classic });
}

async function resealDocument(resealer: Resealer, document: SealedDocument, outcome: FileOutcome): Promise<Splice[]> {
  const target = targetOf(document.value);
  const what = describeObject(document.value);
  const entries = sealedEntries(document.value);
  let failed = 0;
  const results = await Promise.all(
    entries.map(async ([key, value]) => {
      try {
        return await resealValue(resealer, value, target);
      } catch (error) {
        if (!(error instanceof SealkitError)) throw error;
        failed++;
        outcome.failures.push(`${what} ${valueName(key)}: ${asClause(error.message)}`);
        return undefined;
      }
    }),
  );
  const changed = new Map<ValueKey, string>();
  entries.forEach(([key], index) => {
    if (results[index] !== undefined) changed.set(key, results[index]);
  });
  outcome.changed += changed.size;
  outcome.kept += entries.length - changed.size - failed;
  return document.splices(changed);
}

/**
 * The SealedSecrets of a file. Most files of a repository hold none and are not parsed. Only an
 * escape (JSON's \u, YAML's \x, \U or an escaped line break in a double-quoted scalar) can spell
 * the kind without the word, so a backslash is parsed too; such a file that does not parse (a Helm
 * template, say) is not known to hold one and is left alone.
 */
function sealedDocuments(source: string, path: string): SealedDocument[] {
  const named = source.includes('SealedSecret');
  if (!named && !source.includes('\\')) return [];
  const scanned = named ? scanSealedYaml(source) : undefined;
  if (scanned) {
    return scanned
      .filter((document) => isSealedSecret(document.value) && isObject(document.value.spec))
      .map(({ value, values }) => ({
        value,
        // A new value is base64 beginning with a letter (its first byte is the RSA part's length / 256 < 64): a plain scalar.
        splices: (changed) => [...changed].map(([key, text]) => ({ ...values.get(key)!, text })),
      }));
  }
  let parsed;
  try {
    parsed = parseSource(source, `file "${path}"`, STREAM_YAML_LIMITS); // a file of a repository may hold many manifests
  } catch (error) {
    if (named) throw error;
    return [];
  }
  return parsed.documents
    .filter((document) => isSealedSecret(document.value) && isObject(document.value.spec))
    .map((document) => ({ value: document.value as KubeObject, splices: (changed) => valueSplices(source, document, changed) }));
}

async function resealFile(resealer: Resealer, path: string, dryRun: boolean): Promise<FileOutcome> {
  const outcome: FileOutcome = { path, changed: 0, kept: 0, failures: [] };
  try {
    const source = readTextFile(path, 'file');
    const documents = sealedDocuments(source, path);
    const splices = (await Promise.all(documents.map((document) => resealDocument(resealer, document, outcome)))).flat();
    if (splices.length > 0 && !dryRun) await writeFileAtomicInBackground(path, applySplices(source, splices));
  } catch (error) {
    if (!(error instanceof CliError || error instanceof SealkitError)) throw error;
    // Nothing of this file is written: one line says why.
    outcome.changed = 0;
    outcome.failures = [asClause(describeError(error).message ?? 'unreadable')];
  }
  return outcome;
}

/** Keys to open with (--key, the local keyring) and to seal with. */
async function resealer(options: ResealOptions, command: Command): Promise<Resealer> {
  const sources = keySourceOptions(options, command);
  const opening = await localOpeningKeys([...options.key, ...options.recoveryPrivateKey]); // offline: key files, else the local keyring;
  if (!opening)
    throw new CliError(`No keys to open the SealedSecrets with: ${NO_OPENING_KEYS_HINT.replace('--recovery-private-key', '--key')}.`, 2);
  // --cert, a profile's certificate, or an explicit --profile's cluster name the newest certificate; else the keys' own newest.
  const classic = !!options.classic;
  const sealing =
    sources.cert || options.profile ? await sealingKeys(sources) : await sealingKeyring(opening, validityOptions(options.allowExpiredCert));
  if (!sources.cert && !options.profile) noteFormat(sealing, classic);
  const format = sealing.keys[0]!.postQuantum && !classic ? 'post-quantum' : 'classic';
  return { opening, sealing, newest: sealing.keys[0]!.fingerprint, classic, format };
}

function summary(outcomes: FileOutcome[], dryRun: boolean, newest: string): string {
  const changedFiles = outcomes.filter((o) => o.changed > 0);
  const values = changedFiles.reduce((sum, o) => sum + o.changed, 0);
  const kept = outcomes.reduce((sum, o) => sum + o.kept, 0);
  const failed = outcomes.filter((o) => o.failures.length > 0);
  const lines: string[] = [];
  if (dryRun) lines.push(...changedFiles.map((o) => `would reseal ${o.changed} value(s) in ${o.path}`));
  lines.push(
    `${dryRun ? 'Would reseal' : 'Resealed'} ${values} value(s) in ${changedFiles.length} of ${outcomes.length} file(s) for key ${newest}; ${kept} value(s) already use it.`,
  );
  if (failed.length > 0) {
    lines.push(`Could not reseal in ${failed.length} file(s):`);
    for (const outcome of failed) lines.push(...outcome.failures.map((failure) => `  ${outcome.path}: ${failure}`));
  }
  return `${lines.join('\n')}\n`;
}

export async function resealCommand(paths: string[], options: ResealOptions, command: Command): Promise<void> {
  const files = manifestFiles(paths);
  const keys = await resealer(options, command);
  const progress = new Progress(options.dryRun ? 'checked' : 'resealed', files.length, 'files');
  let done = 0;
  const outcomes = await mapConcurrently(files, FILES_IN_FLIGHT, async (file) => {
    const outcome = await resealFile(keys, file, !!options.dryRun);
    progress.tick(++done);
    return outcome;
  });
  progress.done();
  writeOutput(summary(outcomes, !!options.dryRun, keys.newest));
  if (outcomes.some((outcome) => outcome.failures.length > 0)) process.exitCode = 1;
}

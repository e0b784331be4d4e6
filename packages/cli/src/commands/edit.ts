/**
 * sealkit edit FILE: the SealedSecrets of FILE, opened, in $EDITOR as Secrets;
 * on save, only the keys whose value changed are sealed again (unchanged
 * ciphertexts keep their bytes, so Git diffs show exactly what changed), keys
 * removed are removed, and label, annotation and type changes go to the
 * template. The file is rewritten in place, atomically, everything else kept.
 * Invalid edits reopen the editor with the problem on top, as kubectl edit does
 * (in a terminal; a scripted editor gets the error instead).
 */
import type { Command } from 'commander';
import {
  fromBase64,
  isSealedSecret,
  scopeFromAnnotations,
  SealkitError,
  sealingKeyring,
  toBase64,
  type Keyring,
  type SealedSecretManifest,
  type Target,
} from '@sealkit/core';
import { describeObject, isObject, parseManifests, type KubeObject } from '@sealkit/core/manifest';
import { stringify } from 'yaml';
import { readTextFile, writeFileAtomic } from '../input/files.js';
import { stdinIsTerminal } from '../input/input.js';
import { noteFormat, openingKeys, sealingKeys, validityOptions } from '../keys/key-sources.js';
import { withEditSession, type EditSession } from '../output/editor.js';
import { ManifestFile } from '../output/manifest-file.js';
import type { MapEdit } from '../output/map-edit.js';
import { writeOutput } from '../output/output.js';
import { asClause, CliError } from '../program/errors.js';
import { keySourceOptions, type KubesealOptions } from '../program/options.js';

interface Editable {
  index: number;
  sealed: SealedSecretManifest;
  target: Target;
  /** The opened values of spec.encryptedData. */
  values: Map<string, Uint8Array>;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Text when the value is printable UTF-8 (shown under stringData), else undefined (shown as base64 under data). */
function asText(value: Uint8Array): string | undefined {
  try {
    const text = strictUtf8.decode(value);
    return /[\u0000-\u0008\u000b-\u001f\u007f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

function metadataOf(sealed: SealedSecretManifest): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  return sealed.spec.template?.metadata ?? {};
}

/** The plaintext Secret shown for one SealedSecret. */
function plaintextSecret({ sealed, values }: Editable): KubeObject {
  const { labels, annotations } = metadataOf(sealed);
  const stringData: Record<string, string> = {};
  const data: Record<string, string> = {};
  for (const [key, value] of values) {
    const text = asText(value);
    if (text === undefined) data[key] = toBase64(value);
    else stringData[key] = text;
  }
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: sealed.metadata.name, namespace: sealed.metadata.namespace, labels, annotations },
  };
  if (sealed.spec.template?.type) secret.type = sealed.spec.template.type;
  if (Object.keys(stringData).length > 0) secret.stringData = stringData;
  if (Object.keys(data).length > 0) secret.data = data;
  return secret;
}

function header(path: string): string {
  return [
    `# Editing the SealedSecrets of ${path}. Change, add or remove keys under stringData`,
    '# (text) or data (base64); labels, annotations and type may change too. On save, only',
    '# changed values are sealed again. Save an empty file to cancel.',
    '',
  ].join('\n');
}

async function openAll(file: ManifestFile, keyring: Keyring): Promise<Editable[]> {
  const editables: Editable[] = [];
  for (const [index, { value }] of file.documents.entries()) {
    if (!isSealedSecret(value)) continue;
    const sealed = value;
    const target: Target = {
      namespace: sealed.metadata.namespace,
      name: sealed.metadata.name,
      scope: scopeFromAnnotations(sealed.metadata.annotations),
    };
    const values = new Map<string, Uint8Array>();
    for (const [key, ciphertext] of Object.entries(isObject(sealed.spec?.encryptedData) ? sealed.spec.encryptedData : {})) {
      try {
        values.set(key, (await keyring.open(String(ciphertext), target)).plaintext);
      } catch (error) {
        throw new CliError(
          `Cannot open "${key}" of ${describeObject(sealed as unknown as KubeObject)}: ${asClause((error as Error).message)}.`,
        );
      }
    }
    editables.push({ index, sealed, target, values });
  }
  return editables;
}

/** The values of an edited Secret; stringData wins over data, as the API server merges them. */
function editedValues(secret: KubeObject, what: string): Map<string, Uint8Array> {
  const values = new Map<string, Uint8Array>();
  for (const [field, decode] of [
    ['data', (text: string, key: string) => fromBase64(text, `data key "${key}" of ${what}`)],
    ['stringData', (text: string) => new TextEncoder().encode(text)],
  ] as const) {
    for (const [key, value] of Object.entries(isObject(secret[field]) ? secret[field] : {})) {
      if (typeof value !== 'string') throw new CliError(`The ${field} key "${key}" of ${what} is not a string; quote it.`);
      values.set(key, decode(value, key));
    }
  }
  return values;
}

function stringRecord(value: unknown, what: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string'))
    throw new CliError(`The ${what} must map names to strings.`);
  return value as Record<string, string>;
}

/** set/remove for a string map that went from `before` to `after`. */
function recordEdit(path: string[], before: Record<string, string> | undefined, after: Record<string, string>): MapEdit {
  const old = before ?? {};
  return {
    path,
    set: Object.fromEntries(Object.entries(after).filter(([key, value]) => old[key] !== value)),
    remove: Object.keys(old).filter((key) => !(key in after)),
  };
}

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && Buffer.from(a).equals(b);

interface Changes {
  edits: MapEdit[];
  summary: string[];
}

/** Seals one changed value for the file's target, in the format asked for (--classic). */
type Sealer = (value: Uint8Array, target: Target) => Promise<string>;

/** The edits that turn one SealedSecret into the edited Secret; only changed values are sealed. */
async function changesFor(editable: Editable, secret: KubeObject, sealer: Sealer): Promise<Changes> {
  const what = describeObject(editable.sealed as unknown as KubeObject);
  const metadata = isObject(secret.metadata) ? secret.metadata : {};
  if (metadata.name !== editable.sealed.metadata.name || (metadata.namespace ?? undefined) !== editable.sealed.metadata.namespace) {
    throw new CliError(
      `The name and namespace of ${what} cannot change in an edit (its values are sealed for them); seal a new Secret instead.`,
    );
  }
  const annotations = stringRecord(metadata.annotations, `annotations of ${what}`);
  if (scopeFromAnnotations(annotations) !== editable.target.scope)
    throw new CliError(`The scope of ${what} cannot change in an edit; seal a new Secret instead.`);
  const values = editedValues(secret, what);
  if (values.size === 0) throw new CliError(`${what} would have no keys left; keep at least one, or delete the file instead.`);
  const sealed: Record<string, string> = {};
  const summary: string[] = [];
  for (const [key, value] of values) {
    if (sameBytes(editable.values.get(key), value)) continue;
    sealed[key] = await sealer(value, editable.target);
    summary.push(`${editable.values.has(key) ? 'changed' : 'added'} ${key}`);
  }
  const removed = [...editable.values.keys()].filter((key) => !values.has(key));
  summary.push(...removed.map((key) => `removed ${key}`));
  const template = metadataOf(editable.sealed);
  const type = typeof secret.type === 'string' ? secret.type : undefined;
  const edits: MapEdit[] = [
    { path: ['spec', 'encryptedData'], set: sealed, remove: removed },
    recordEdit(['spec', 'template', 'metadata', 'labels'], template.labels, stringRecord(metadata.labels, `labels of ${what}`)),
    recordEdit(['spec', 'template', 'metadata', 'annotations'], template.annotations, annotations),
  ];
  if (type && type !== editable.sealed.spec.template?.type) edits.push({ path: ['spec', 'template'], set: { type } });
  const metadataChanged = edits.slice(1).some((edit) => Object.keys(edit.set ?? {}).length + (edit.remove?.length ?? 0) > 0);
  if (metadataChanged) summary.push('updated metadata');
  return { edits, summary: summary.length > 0 ? [`${what}: ${summary.join(', ')}`] : [] };
}

/** Reads the edited text back; undefined when the user cancelled (an empty file). */
function parseEdited(text: string, editables: Editable[]): KubeObject[] | undefined {
  if (text.replace(/^\s*#.*$/gm, '').trim() === '') return undefined;
  const { objects } = parseManifests(text, 'edited file');
  if (objects.length !== editables.length) {
    throw new CliError(
      `The edited file has ${objects.length} documents but ${editables.length} SealedSecrets were opened; keep one Secret per SealedSecret, in order.`,
    );
  }
  return objects;
}

const ERROR_PREFIX = '# error: ';

/** Edits until the text parses and applies, or the user cancels; returns the changes or undefined. */
async function editUntilValid(session: EditSession, editables: Editable[], sealer: Sealer, path: string): Promise<Changes[] | undefined> {
  let shown = header(path) + editables.map((editable) => stringify(plaintextSecret(editable), { lineWidth: 0 })).join('---\n');
  const original = shown;
  for (;;) {
    const saved = await session.edit(shown);
    if (saved === original) return [];
    try {
      const objects = parseEdited(saved, editables);
      if (!objects) return undefined;
      const changes: Changes[] = [];
      for (const [i, editable] of editables.entries()) changes.push(await changesFor(editable, objects[i]!, sealer));
      return changes;
    } catch (error) {
      if (!(error instanceof CliError) && !(error instanceof SealkitError)) throw error;
      const withoutOldErrors = saved.replace(new RegExp(`^${ERROR_PREFIX}.*\\n`, 'gm'), '');
      const next = `${ERROR_PREFIX}${error.message}\n${withoutOldErrors}`;
      // Reopening is for people; a scripted $EDITOR (no terminal) would loop forever.
      if (next === shown || !stdinIsTerminal())
        throw new CliError(`The edit has an error (${asClause(error.message)}); nothing was changed.`);
      shown = next;
    }
  }
}

export async function editCommand(path: string, options: KubesealOptions & { key: string[] }, command: Command): Promise<void> {
  const file = new ManifestFile(readTextFile(path, 'SealedSecret file'), `file "${path}"`);
  const keyring = await openingKeys([...options.key, ...options.recoveryPrivateKey], '--key');
  const editables = await openAll(file, keyring);
  if (editables.length === 0) throw new CliError(`"${path}" holds no SealedSecret to edit.`);
  // New values are sealed with --cert or --profile's certificate (as seal takes them) when given, else with the newest key of the keys that opened the file.
  const sealing =
    options.cert || options.profile
      ? await sealingKeys(keySourceOptions(options, command))
      : await sealingKeyring(keyring, validityOptions(options.allowExpiredCert));
  if (!options.cert && !options.profile) noteFormat(sealing, options.classic);
  const sealer: Sealer = (value, target) => sealing.seal(value, target, { classic: options.classic });
  const changes = await withEditSession(`${path.split('/').pop()}.secret.yaml`, (session) =>
    editUntilValid(session, editables, sealer, path),
  );
  if (!changes) return writeOutput('Edit cancelled; nothing was changed.\n');
  changes.forEach((change, i) => file.edit(editables[i]!.index, change.edits));
  const summary = changes.flatMap((change) => change.summary);
  if (summary.length === 0 || !file.changed) return writeOutput('No changes.\n');
  writeFileAtomic(path, file.toString());
  writeOutput(`Updated ${path}: ${summary.join('; ')}.\n`);
}

/**
 * Manifests as users hand them over: YAML (one or several documents), JSON (one
 * object or a stream of them), or a v1 List. Parse errors give a position and
 * never quote the text: it may hold secret values.
 */
import type { Document } from 'yaml';
import { SealkitError } from '../platform/errors.js';
import { quoteName } from '../objects/printable.js';
import { checkNestingDepth } from './depth.js';
import { repeatedKeyOffset, splitJsonStream } from './json-stream.js';
import { lineAndColumn } from './position.js';
import { checkSecretFields } from './secret-fields.js';
import { checkManifestSize, readYamlDocuments } from './yaml.js';
import type { YamlLimits } from './yaml-limits.js';

export type SourceFormat = 'json' | 'yaml';

export interface SourceDocument {
  value: unknown;
  /** Offsets of the document's text in the source. */
  start: number;
  end: number;
  /** The parsed YAML document, kept for editing in place; absent for JSON. */
  yaml?: Document.Parsed;
}

export interface ParsedSource {
  format: SourceFormat;
  documents: SourceDocument[];
}

function parseJsonStream(text: string, what: string): SourceDocument[] | undefined {
  const ranges = splitJsonStream(text);
  if (!ranges) return undefined;
  return ranges.map(({ start, end }) => {
    const json = text.slice(start, end);
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      // V8's message quotes the text; only its position is safe to show.
      const position = /position (\d+)/.exec(String((error as Error).message));
      const where = position ? lineAndColumn(text, start + Number(position[1])) : undefined;
      throw new SealkitError(
        'bad-input',
        `The ${what} is not valid JSON${where ? ` (line ${where.line}, column ${where.column})` : ''}; check it with a JSON linter.`,
      );
    }
    checkNestingDepth(value, what);
    // JSON.parse keeps the last of repeated keys; YAML input with one is refused, and so is JSON.
    const repeated = repeatedKeyOffset(json);
    if (repeated !== undefined) {
      const where = lineAndColumn(text, start + repeated);
      throw new SealkitError(
        'bad-input',
        `The ${what} has a key twice in one JSON object at line ${where.line}, column ${where.column}; keep only one of them.`,
      );
    }
    return { value, start, end };
  });
}

function parseYamlStream(text: string, what: string, limits?: Partial<YamlLimits>): SourceDocument[] {
  return readYamlDocuments(text, { what, expected: 'YAML or JSON', limits }).map(({ value, start, end, document }) => ({
    value,
    start,
    end,
    yaml: document,
  }));
}

/**
 * Entries in one object's data, stringData or spec.encryptedData: every command's work (sealing, opening,
 * checking) grows with them, at about 0.1 ms each. Kubernetes caps a whole Secret at 1 MiB; real ones hold
 * a few hundred keys.
 */
export const MAX_DATA_ENTRIES = 10_000;

function checkDataEntries(value: unknown, what: string): void {
  for (const item of isList(value) && Array.isArray(value.items) ? value.items : [value]) {
    if (!isObject(item)) continue;
    const spec = isObject(item.spec) ? item.spec : {};
    for (const [field, map] of [
      ['data', item.data],
      ['stringData', item.stringData],
      ['spec.encryptedData', spec.encryptedData],
    ] as const) {
      const count = isObject(map) ? Object.keys(map).length : 0;
      if (count > MAX_DATA_ENTRIES) {
        throw new SealkitError(
          'bad-input',
          `The ${what} has ${count} entries in one object's ${field}, more than the ${MAX_DATA_ENTRIES} any Secret needs; split it into several.`,
        );
      }
    }
  }
}

/** The documents of a YAML or JSON text; `limits` raise the YAML reader's bounds (STREAM_YAML_LIMITS for release streams). */
export function parseSource(text: string, what: string, limits?: Partial<YamlLimits>): ParsedSource {
  // A UTF-16 byte-order mark (FF FE or FE FF) read as UTF-8 becomes two U+FFFD, and UTF-16
  // text has a NUL beside every ASCII character. Windows PowerShell's ">" writes such files.
  if (/^\uFFFD\uFFFD.?\0/s.test(text)) {
    throw new SealkitError(
      'bad-input',
      `The ${what} is UTF-16 text, but sealkit reads UTF-8; convert it first (for example: iconv -f UTF-16 -t UTF-8).`,
    );
  }
  // JSON gets YAML's cap too: JSON.parse is quick, but every command's work grows with the entries it reads.
  checkManifestSize(text, what);
  const json = /^\s*[[{]/.test(text) ? parseJsonStream(text, what) : undefined;
  const parsed: ParsedSource = json
    ? { format: 'json', documents: json }
    : { format: 'yaml', documents: parseYamlStream(text, what, limits) };
  for (const { value } of parsed.documents) checkDataEntries(value, what);
  return parsed;
}

export type KubeObject = Record<string, unknown>;

export interface Manifests {
  objects: KubeObject[];
  /** The input was one v1 List: the output should be one too. */
  list: boolean;
}

export function isObject(value: unknown): value is KubeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOfValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

/** A List (v1 List, SecretList, …): a kind ending in List, with items. */
function isList(value: unknown): value is KubeObject & { items: unknown } {
  return isObject(value) && typeof value.kind === 'string' && value.kind.endsWith('List') && value.items !== undefined;
}

/** The Kubernetes objects in a text: every document, with the items of Lists spread out. */
export function parseManifests(text: string, what: string): Manifests {
  const { documents } = parseSource(text, what);
  // Empty documents (`---` twice, a leading `---`) are skipped, as kubectl and kubeseal skip them.
  if (documents.every(({ value }) => value === null || value === undefined))
    throw new SealkitError('bad-input', `The ${what} is empty; expected Kubernetes objects in YAML or JSON.`);
  const objects: KubeObject[] = [];
  documents.forEach(({ value }, index) => {
    if (value === null || value === undefined) return;
    const where = documents.length > 1 ? `document ${index + 1} of the ${what}` : `the ${what}`;
    if (isList(value) && !Array.isArray(value.items)) {
      throw new SealkitError(
        'bad-input',
        `The items of the List in ${where} are ${kindOfValue(value.items)}, not a list; write each object as a "- " item.`,
      );
    }
    for (const item of isList(value) ? (value.items as unknown[]) : [value]) {
      if (!isObject(item)) throw new SealkitError('bad-input', `Expected a Kubernetes object in ${where}, but found ${kindOfValue(item)}.`);
      // Checked here, where the input is read, so that no command seals a Secret Kubernetes would refuse.
      if (item.kind === 'Secret') checkSecretFields(item, `${describeObject(item)} in ${where}`);
      objects.push(item);
    }
  });
  return { objects, list: documents.length === 1 && isList(documents[0]!.value) };
}

/** `SealedSecret "prod/db"`, for messages; escaped, as a name may hold line breaks or terminal escapes. */
export function describeObject(object: KubeObject): string {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const name = [metadata.namespace, metadata.name].filter((part) => typeof part === 'string' && part !== '').join('/');
  const kind = typeof object.kind === 'string' && /^\w+$/.test(object.kind) ? object.kind : 'object';
  return `${kind} ${quoteName(name)}`;
}

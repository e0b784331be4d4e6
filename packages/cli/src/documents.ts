/**
 * Manifests as users hand them over: YAML (one or several documents), JSON (one
 * object or a stream of them), or a v1 List. Parse errors give a position and
 * never quote the text: it may hold secret values.
 */
import { SealkitError } from '@sealkit/core';
import { parseAllDocuments, type Document } from 'yaml';
import { asClause, CliError } from './errors.js';
import { lineAndColumn, splitJsonStream } from './json-stream.js';

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

const YAML_PROBLEMS: Record<string, string> = {
  DUPLICATE_KEY: 'a key appears twice in one mapping',
  BAD_INDENT: 'the indentation is inconsistent',
  TAB_AS_INDENT: 'a tab is used for indentation',
  MULTILINE_IMPLICIT_KEY: 'a key runs over several lines',
  MISSING_CHAR: 'a quote or bracket is not closed',
  BLOCK_AS_IMPLICIT_KEY: 'a block is used as a key',
  UNEXPECTED_TOKEN: 'there is an unexpected character',
};

function parseJsonStream(text: string, what: string): SourceDocument[] | undefined {
  const ranges = splitJsonStream(text);
  if (!ranges) return undefined;
  return ranges.map(({ start, end }) => {
    try {
      return { value: JSON.parse(text.slice(start, end)) as unknown, start, end };
    } catch (error) {
      // V8's message quotes the text; only its position is safe to show.
      const position = /position (\d+)/.exec(String((error as Error).message));
      const where = position ? lineAndColumn(text, start + Number(position[1])) : undefined;
      throw new CliError(`The ${what} is not valid JSON${where ? ` (line ${where.line}, column ${where.column})` : ''}; check it with a JSON linter.`);
    }
  });
}

function parseYamlStream(text: string, what: string): SourceDocument[] {
  const parsed = parseAllDocuments(text);
  const documents = Array.isArray(parsed) ? parsed : [parsed];
  const out: SourceDocument[] = [];
  for (const document of documents) {
    const [problem] = document.errors;
    if (problem) {
      const where = problem.linePos?.[0];
      const reason = YAML_PROBLEMS[problem.code] ?? problem.code.toLowerCase().replace(/_/g, ' ');
      throw new CliError(`The ${what} is not valid YAML or JSON: ${reason}${where ? ` at line ${where.line}, column ${where.col}` : ''}.`);
    }
    if (document.contents === null) continue; // an empty document, e.g. after a leading ---
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch {
      throw new CliError(`The ${what} uses too many YAML aliases; expand them before giving it to sealkit.`);
    }
    out.push({ value, start: document.range[0], end: document.range[2], yaml: document });
  }
  return out;
}

/** The documents of a YAML or JSON text. */
export function parseSource(text: string, what: string): ParsedSource {
  if (/^\s*[[{]/.test(text)) {
    const json = parseJsonStream(text, what);
    if (json) return { format: 'json', documents: json };
  }
  return { format: 'yaml', documents: parseYamlStream(text, what) };
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
  return `a ${typeof value}`;
}

function isList(value: KubeObject): value is KubeObject & { items: unknown[] } {
  return typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items);
}

/** The Kubernetes objects in a text: every document, with the items of Lists spread out. */
export function parseManifests(text: string, what: string): Manifests {
  const { documents } = parseSource(text, what);
  if (documents.length === 0) throw new CliError(`The ${what} is empty; expected Kubernetes objects in YAML or JSON.`);
  const objects: KubeObject[] = [];
  documents.forEach(({ value }, index) => {
    const items = isObject(value) && isList(value) ? value.items : [value];
    for (const item of items) {
      if (!isObject(item)) {
        const where = documents.length > 1 ? `document ${index + 1} of the ${what}` : `the ${what}`;
        throw new CliError(`Expected a Kubernetes object in ${where}, but found ${kindOfValue(item)}.`);
      }
      objects.push(item);
    }
  });
  return { objects, list: documents.length === 1 && isObject(documents[0]!.value) && isList(documents[0]!.value) };
}

/** `SealedSecret "prod/db"`, for messages. */
export function describeObject(object: KubeObject): string {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const name = [metadata.namespace, metadata.name].filter((part) => typeof part === 'string' && part !== '').join('/');
  return `${typeof object.kind === 'string' ? object.kind : 'object'} "${name}"`;
}

/** Runs `each` on every object, naming the document in the error when there are several. */
export async function forEachDocument<T>(objects: KubeObject[], what: string, each: (object: KubeObject) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (const [index, object] of objects.entries()) {
    try {
      results.push(await each(object));
    } catch (error) {
      // Only failures about the input are reworded; anything else keeps its stack for --debug.
      if (objects.length === 1 || !(error instanceof CliError || error instanceof SealkitError)) throw error;
      throw new CliError(`In document ${index + 1} of the ${what}: ${asClause(error.message)}.`);
    }
  }
  return results;
}

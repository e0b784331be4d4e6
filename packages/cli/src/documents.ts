/**
 * Manifests as users hand them over: YAML (one or several documents), JSON (one
 * object or a stream of them), or a v1 List. Parse errors give a position and
 * never quote the text: it may hold secret values.
 */
import { SealkitError } from '@sealkit/core';
import { isAlias, isCollection, isPair, isScalar, parseAllDocuments, visit, type Document, type Node, type YAMLError } from 'yaml';
import { asClause, CliError } from './errors.js';
import { lineAndColumn, repeatedKeyOffset, splitJsonStream } from './json-stream.js';
import { checkSecretFields } from './secret-fields.js';

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
  MISSING_CHAR: 'a closing quote or bracket, or a "," or ":", is missing',
  BLOCK_AS_IMPLICIT_KEY: 'a block is used as a key',
  UNEXPECTED_TOKEN: 'there is an unexpected character',
};

/**
 * Why the YAML parser refused the text, in words. Its own message is only matched,
 * never shown: it quotes the offending line, which may hold a secret value.
 */
function yamlProblem(problem: YAMLError, text: string): string {
  const summary = problem.message.split('\n')[0]!;
  // An unclosed [ or { is reported as BAD_INDENT ("must be sufficiently indented and end with a ]")
  // inside a block mapping, as MISSING_CHAR at the top: either way the bracket may just be unclosed.
  const bracket = /^Flow (?:map|sequence)\b.* end with a ([\]}])/.exec(summary)?.[1];
  if (bracket) {
    const pair = `a "${bracket === ']' ? '[' : '{'}" is not closed by "${bracket}"`;
    return text.slice(problem.pos[0]).trim() === '' ? pair : `${pair} (or a line inside it is not indented enough)`;
  }
  const quote = /^Missing closing (["'])quote/.exec(summary)?.[1];
  if (quote) return `a quote (${quote}) is not closed`;
  if (summary.startsWith('Implicit map keys need to be followed by map values')) return 'a line in a mapping is not "key: value"';
  if (summary.startsWith('Missing , ')) return 'a "," is missing between two items';
  if (summary.startsWith('Missing directives-end')) return 'a directive (%) is not followed by a "---" line';
  return YAML_PROBLEMS[problem.code] ?? problem.code.toLowerCase().replace(/_/g, ' ');
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
      throw new CliError(`The ${what} is not valid JSON${where ? ` (line ${where.line}, column ${where.column})` : ''}; check it with a JSON linter.`);
    }
    // JSON.parse keeps the last of repeated keys; YAML input with one is refused, and so is JSON.
    const repeated = repeatedKeyOffset(json);
    if (repeated !== undefined) {
      const where = lineAndColumn(text, start + repeated);
      throw new CliError(`The ${what} has a key twice in one JSON object at line ${where.line}, column ${where.column}; keep only one of them.`);
    }
    return { value, start, end };
  });
}

/**
 * What YAML allows but a Kubernetes object cannot hold, with where it is: an alias to no
 * earlier anchor (YAML refers only backwards), or a key that is a list or mapping (which
 * would become its own text as a key, values and all).
 */
function structureProblem(document: Document.Parsed): { found: string; fix: string; offset: number } | undefined {
  const anchors = new Map<string, unknown>();
  let problem: { found: string; fix: string; offset: number } | undefined;
  visit(document, (_key, node, path) => {
    if (isAlias(node) && !anchors.has(node.source)) {
      // Not named: "password: *hunter2" is an alias too, and its name the password.
      const fix = 'define the anchor first, or quote the value if it is text that starts with "*"';
      problem = { found: 'a YAML alias (*) with no anchor (&) of that name before it', fix, offset: node.range![0] };
    } else if (isAlias(node) && path.some((above) => isCollection(above) && above.anchor === node.source)) {
      problem = { found: 'a YAML alias (*) inside the anchor (&) it refers to', fix: 'an object cannot contain itself', offset: node.range![0] };
    } else if (isPair(node) && isCollection(isAlias(node.key) ? anchors.get(node.key.source) : node.key)) {
      problem = { found: 'a list or mapping as a key', fix: 'keys must be text', offset: (node.key as Node).range![0] };
    } else if ((isScalar(node) || isCollection(node)) && node.anchor) {
      anchors.set(node.anchor, node);
    }
    return problem ? visit.BREAK : undefined;
  });
  return problem;
}

function parseYamlStream(text: string, what: string): SourceDocument[] {
  // Warnings off: yaml would print them on stderr, quoting the text.
  const parsed = parseAllDocuments(text, { logLevel: 'error' });
  const documents = Array.isArray(parsed) ? parsed : [parsed];
  const out: SourceDocument[] = [];
  for (const document of documents) {
    const [problem] = document.errors;
    if (problem) {
      const where = problem.linePos?.[0];
      throw new CliError(`The ${what} is not valid YAML or JSON: ${yamlProblem(problem, text)}${where ? ` at line ${where.line}, column ${where.col}` : ''}.`);
    }
    if (document.contents === null) continue; // an empty document, e.g. after a leading ---
    const structure = structureProblem(document);
    if (structure) {
      const where = lineAndColumn(text, structure.offset);
      throw new CliError(`The ${what} has ${structure.found} at line ${where.line}, column ${where.column}; ${structure.fix}.`);
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // With every alias resolvable, yaml throws a ReferenceError only for too many of them.
      if (error instanceof ReferenceError) throw new CliError(`The ${what} uses too many YAML aliases; expand them before giving it to sealkit.`);
      // YAML 1.1 merge keys (%YAML 1.1, as kubectl reads) take only mappings.
      if (String((error as Error).message).startsWith('Merge sources')) throw new CliError(`The ${what} merges (<<) something that is not a mapping; merge only mappings.`);
      throw error;
    }
    out.push({ value, start: document.range[0], end: document.range[2], yaml: document });
  }
  return out;
}

/** The documents of a YAML or JSON text. */
export function parseSource(text: string, what: string): ParsedSource {
  // A UTF-16 byte-order mark (FF FE or FE FF) read as UTF-8 becomes two U+FFFD, and UTF-16
  // text has a NUL beside every ASCII character. Windows PowerShell's ">" writes such files.
  if (/^\uFFFD\uFFFD.?\0/s.test(text)) {
    throw new CliError(`The ${what} is UTF-16 text, but sealkit reads UTF-8; convert it first (for example: iconv -f UTF-16 -t UTF-8).`);
  }
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
  if (documents.every(({ value }) => value === null || value === undefined)) throw new CliError(`The ${what} is empty; expected Kubernetes objects in YAML or JSON.`);
  const objects: KubeObject[] = [];
  documents.forEach(({ value }, index) => {
    if (value === null || value === undefined) return;
    const where = documents.length > 1 ? `document ${index + 1} of the ${what}` : `the ${what}`;
    if (isList(value) && !Array.isArray(value.items)) {
      throw new CliError(`The items of the List in ${where} are ${kindOfValue(value.items)}, not a list; write each object as a "- " item.`);
    }
    for (const item of isList(value) ? (value.items as unknown[]) : [value]) {
      if (!isObject(item)) throw new CliError(`Expected a Kubernetes object in ${where}, but found ${kindOfValue(item)}.`);
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
  return `${kind} ${JSON.stringify(name)}`;
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

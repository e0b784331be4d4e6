/**
 * The one way sealkit reads YAML (CLI files, key backups, the page): bounded in
 * size, nesting, aliases and tags, so hostile text fails within a second, and
 * with messages that give a position but never quote the text, which may hold
 * secret values. The `yaml` library's own costly paths are off: prettyErrors
 * (quadratic in the errors), its duplicate-key check (quadratic in the keys;
 * done here with a Set instead) and going on after the first error.
 */
import { Composer, isAlias, isCollection, isMap, isPair, isScalar, isSeq, Parser, visit, type Document, type Node } from 'yaml';
import { SealkitError } from '../platform/errors.js';
import { lineAndColumn } from './position.js';
import { DEFAULT_YAML_LIMITS, yamlExcess, type YamlLimits } from './yaml-limits.js';

export interface YamlReadOptions {
  /** What the text is, for messages: "input", `file "a.yaml"`. */
  what: string;
  /** What the text should have been, for messages; default "YAML". */
  expected?: string;
  /** Default 4 MiB: etcd holds objects of at most 1.5 MiB. */
  maxBytes?: number;
  limits?: Partial<YamlLimits>;
}

export interface YamlDocument {
  value: unknown;
  /** Offsets of the document's text in the source. */
  start: number;
  end: number;
  /** The parsed document, for editing in place. */
  document: Document.Parsed;
}

export const MAX_YAML_BYTES = 4 << 20;
// What yaml's toJS may expand aliases to, relative to the document ("billion laughs").
const MAX_ALIAS_EXPANSION = 100;

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
 * Why the parser refused the text, in words. Its own message is only matched,
 * never shown: it may quote the offending text.
 */
function yamlProblem(problem: ParseProblem, text: string): string {
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

/** The first error the parser found: what yaml's YAMLError holds, but made without its costly context. */
interface ParseProblem {
  code: string;
  message: string;
  pos: [number, number];
}

type ErrorSource = number | [number, number] | { offset: number };
type OnError = (source: ErrorSource, code: string, message: string, warning?: boolean) => void;

/**
 * The documents of `text`, stopping at the first error: yaml would otherwise go on
 * through every error of the text (one per "," of 4 MiB of them, at tens of µs each).
 */
function composeDocuments(text: string): { documents: Document.Parsed[]; problem?: ParseProblem } {
  // Warnings off: they would be printed, quoting the text. The duplicate-key check is ours.
  const composer = new Composer({ logLevel: 'silent', prettyErrors: false, uniqueKeys: false });
  let problem: ParseProblem | undefined;
  const stop = new Error('first YAML error');
  (composer as unknown as { onError: OnError }).onError = (source, code, message, warning) => {
    if (warning) return;
    // yaml catches what a collection throws and reports it again, for each enclosing one: keep the first.
    if (problem) throw stop;
    const start = typeof source === 'number' ? source : Array.isArray(source) ? source[0] : source.offset;
    problem = { code, message, pos: [start, start + 1] };
    throw stop;
  };
  const documents: Document.Parsed[] = [];
  try {
    for (const document of composer.compose(new Parser().parse(text))) {
      const [error] = document.errors; // what the composer records without onError
      if (error) return { documents, problem: { code: error.code, message: error.message, pos: error.pos } };
      documents.push(document);
    }
  } catch (error) {
    if (error !== stop) throw error;
  }
  return { documents, problem };
}

interface StructureProblem {
  found: string;
  /** What to do; none for what the YAML spec itself forbids. */
  fix?: string;
  offset: number;
}

const UNORDERED_TAG = /^tag:yaml\.org,2002:(set|omap|pairs)$/;

/**
 * What YAML allows but a Kubernetes object cannot hold, with where it is: an alias to no
 * earlier anchor (YAML refers only backwards), a key that is a list or mapping (which
 * would become its own text as a key), a key twice in one mapping, or a YAML 1.1
 * !!set/!!omap/!!pairs (which would turn into no entries at all).
 */
function structureProblem(document: Document.Parsed): StructureProblem | undefined {
  const anchors = new Map<string, unknown>();
  let problem: StructureProblem | undefined;
  visit(document, (_key, node, path) => {
    if (isAlias(node) && !anchors.has(node.source)) {
      // Not named: "password: *hunter2" is an alias too, and its name the password.
      const fix = 'define the anchor first, or quote the value if it is text that starts with "*"';
      problem = { found: 'a YAML alias (*) with no anchor (&) of that name before it', fix, offset: node.range![0] };
    } else if (isAlias(node) && path.some((above) => isCollection(above) && above.anchor === node.source)) {
      problem = {
        found: 'a YAML alias (*) inside the anchor (&) it refers to',
        fix: 'an object cannot contain itself',
        offset: node.range![0],
      };
    } else if (isPair(node) && isCollection(isAlias(node.key) ? anchors.get(node.key.source) : node.key)) {
      problem = { found: 'a list or mapping as a key', fix: 'keys must be text', offset: (node.key as Node).range![0] };
    } else if ((isMap(node) || isSeq(node)) && node.tag && UNORDERED_TAG.test(node.tag)) {
      problem = { found: 'a YAML !!set, !!omap or !!pairs', fix: 'write a plain mapping instead', offset: node.range![0] };
    } else if (isMap(node)) {
      const seen = new Set<string>();
      for (const { key } of node.items) {
        if (!isScalar(key)) continue;
        const name = String(key.value);
        if (seen.has(name)) {
          problem = { found: 'a key appears twice in one mapping', offset: key.range![0] };
          break;
        }
        seen.add(name);
      }
    }
    if (!problem && (isScalar(node) || isCollection(node)) && node.anchor) anchors.set(node.anchor, node);
    return problem ? visit.BREAK : undefined;
  });
  return problem;
}

/** Refuses a manifest text (YAML or JSON) longer than `maxBytes` before any parsing. */
export function checkManifestSize(text: string, what: string, maxBytes = MAX_YAML_BYTES): void {
  if (text.length > maxBytes) {
    throw new SealkitError(
      'bad-input',
      `The ${what} is larger than ${Math.round(maxBytes / 1024)} KiB, more than any manifest; give a smaller file.`,
    );
  }
}

/** Every non-empty document of a YAML text, as plain values; throws SealkitError('bad-input'). */
export function readYamlDocuments(text: string, options: YamlReadOptions): YamlDocument[] {
  const { what, expected = 'YAML', maxBytes = MAX_YAML_BYTES } = options;
  const at = (offset: number) => {
    const { line, column } = lineAndColumn(text, offset);
    return `at line ${line}, column ${column}`;
  };
  checkManifestSize(text, what, maxBytes);
  const excess = yamlExcess(text, { ...DEFAULT_YAML_LIMITS, ...options.limits });
  if (excess) throw new SealkitError('bad-input', `The ${what} has ${excess.found} ${at(excess.offset)}, more than any manifest needs.`);

  const { documents, problem } = composeDocuments(text);
  if (problem)
    throw new SealkitError('bad-input', `The ${what} is not valid ${expected}: ${yamlProblem(problem, text)} ${at(problem.pos[0])}.`);
  const out: YamlDocument[] = [];
  for (const document of documents) {
    if (document.contents === null) continue; // an empty document, e.g. after a leading ---
    const structure = structureProblem(document);
    if (structure?.fix)
      throw new SealkitError('bad-input', `The ${what} has ${structure.found} ${at(structure.offset)}; ${structure.fix}.`);
    if (structure) throw new SealkitError('bad-input', `The ${what} is not valid ${expected}: ${structure.found} ${at(structure.offset)}.`);
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
    } catch (error) {
      // With every alias resolvable, yaml throws a ReferenceError only for too many of them.
      if (error instanceof ReferenceError)
        throw new SealkitError('bad-input', `The ${what} uses too many YAML aliases; expand them first.`);
      // YAML 1.1 merge keys (%YAML 1.1, as kubectl reads) take only mappings.
      if (String((error as Error).message).startsWith('Merge sources'))
        throw new SealkitError('bad-input', `The ${what} merges (<<) something that is not a mapping; merge only mappings.`);
      throw new SealkitError('bad-input', `The ${what} is not valid ${expected}.`);
    }
    out.push({ value, start: document.range[0], end: document.range[2], document });
  }
  return out;
}

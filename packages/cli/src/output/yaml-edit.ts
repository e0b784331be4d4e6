/**
 * Edits YAML text in place: the edit becomes splices of the original text, so
 * every byte outside the changed entries (other keys, other documents, comments,
 * quoting, indentation) stays as it was. Re-serialising the document would
 * reformat it; users review these files in Git diffs.
 */
import { goYamlKeyOrder } from '@sealkit/core/manifest';
import { isMap, isScalar, stringify, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { applyMapEdit, hasChanges, insertionIndex, nest, type EditValue, type MapEdit } from './map-edit.js';

export interface Splice {
  start: number;
  end: number;
  text: string;
}

const lineStart = (source: string, offset: number) => source.lastIndexOf('\n', offset - 1) + 1;

/** The offset just after the line break that ends the line holding `offset`. */
function lineEnd(source: string, offset: number): number {
  const newline = source.indexOf('\n', offset);
  return newline < 0 ? source.length : newline + 1;
}

const rangeOf = (node: unknown) => (node as Node | null)?.range ?? undefined;
const keyOf = (pair: Pair) => (isScalar(pair.key) ? String(pair.key.value) : undefined);

/**
 * Where a pair of a block map starts: the first character of its key's line, which may be
 * an explicit-key "?", an anchor or a tag before the key ("? key", "&a key: value").
 */
function pairStart(source: string, pair: Pair): number {
  let at = lineStart(source, rangeOf(pair.key)![0]);
  while (source[at] === ' ') at++;
  return at;
}

/** Where a pair's text ends: after the line break of its last line (a trailing comment included). */
function pairEnd(source: string, pair: Pair): number {
  const last = rangeOf(pair.value)?.[1] ?? rangeOf(pair.key)![1];
  // A value's range may end in the indentation of the next pair's line (a mapping of "? key"s does): the pair ends before it.
  const start = lineStart(source, last);
  if (last > start && source.slice(start, last).trim() === '' && source.slice(last, lineEnd(source, last)).trim() !== '') return start;
  return lineEnd(source, Math.max(last - 1, 0));
}

/** A scalar on one line: plain when YAML 1.1 (kubectl's) allows, else double-quoted, as go-yaml writes it. */
function scalarText(value: string): string {
  const text = stringify(value, { version: '1.1', lineWidth: 0, singleQuote: false }).trimEnd();
  return text.includes('\n') ? JSON.stringify(value) : text;
}

function pairLines(key: string, value: EditValue, indent: number): string {
  const head = `${' '.repeat(indent)}${scalarText(key)}:`;
  if (typeof value === 'string') return `${head} ${scalarText(value)}\n`;
  if (Object.keys(value).length === 0) return `${head} {}\n`;
  // A new mapping in go-yaml's (kubeseal's) key order, as applyMapEdit orders a JSON one.
  return `${head}\n${Object.entries(value)
    .sort(([a], [b]) => goYamlKeyOrder(a, b))
    .map(([k, v]) => pairLines(k, v, indent + 2))
    .join('')}`;
}

function flowText(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
}

/** `b` laid over `a`: the mappings two edits create under one missing key, as one. */
function mergeCreated(a: EditValue | undefined, b: EditValue): EditValue {
  if (typeof a !== 'object' || typeof b !== 'object') return b;
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) out[key] = mergeCreated(out[key], value);
  return out;
}

/**
 * Rewriting a flow map and creating a missing mapping are collected over all edits and
 * spliced once at the end: two edits of one flow map (spec: {…}), or under one missing
 * key, would otherwise write overlapping splices and garble the file.
 */
class YamlEditor {
  readonly splices: Splice[] = [];
  readonly #flowMaps = new Map<YAMLMap, Record<string, unknown>>();
  readonly #created = new Map<YAMLMap, Map<string, EditValue>>();
  constructor(
    private readonly source: string,
    private readonly document: Document.Parsed,
  ) {}

  #column(offset: number): number {
    return offset - lineStart(this.source, offset);
  }

  /** Replaces a whole pair (its lines) with `key: value` at the same indentation. */
  #replacePair(pair: Pair, key: string, value: EditValue): void {
    const start = pairStart(this.source, pair);
    this.splices.push({
      start: lineStart(this.source, start),
      end: pairEnd(this.source, pair),
      text: pairLines(key, value, this.#column(start)),
    });
  }

  /** Adds pairs to a block map, each where sorted order puts it. */
  #insertPairs(map: YAMLMap, entries: [string, EditValue][]): void {
    const pairs = map.items as Pair[];
    const keys = pairs.map((pair) => keyOf(pair) ?? '');
    const indent = this.#column(pairStart(this.source, pairs[0]!));
    const byPosition = new Map<number, string>();
    for (const [key, value] of [...entries].sort(([a], [b]) => goYamlKeyOrder(a, b))) {
      const index = insertionIndex(keys, key);
      byPosition.set(index, (byPosition.get(index) ?? '') + pairLines(key, value, indent));
    }
    for (const [index, text] of byPosition) {
      const at = index < pairs.length ? lineStart(this.source, rangeOf(pairs[index]!.key)![0]) : pairEnd(this.source, pairs.at(-1)!);
      const separator = at === this.source.length && !this.source.endsWith('\n') ? '\n' : '';
      this.splices.push({ start: at, end: at, text: separator + text });
    }
  }

  /** A flow map ({a: b}) is rewritten whole, with the edits applied to its value (aliases resolved). */
  #editFlowMap(map: YAMLMap, edit: MapEdit): void {
    const value = this.#flowMaps.get(map) ?? (map.toJS(this.document, { maxAliasCount: 100 }) as Record<string, unknown>);
    this.#flowMaps.set(map, applyMapEdit(value, edit));
  }

  /** `key: value` for a key of `map` that is missing or not a mapping. */
  #create(map: YAMLMap, key: string, value: EditValue): void {
    const created = this.#created.get(map) ?? new Map<string, EditValue>();
    created.set(key, mergeCreated(created.get(key), value));
    this.#created.set(map, created);
  }

  #editBlockMap(map: YAMLMap, owner: Pair | undefined, ownerKey: string, edit: MapEdit): void {
    const pairs = map.items as Pair[];
    // A lookup per key: a Secret may have tens of thousands.
    const byKey = new Map(pairs.map((pair) => [keyOf(pair), pair]));
    const removed = new Set(edit.remove?.filter((key) => byKey.has(key)));
    const set = Object.entries(edit.set ?? {});
    // Removing every key and adding none would leave `key:` (null): write `key: {}` to keep a map.
    if (owner && set.length === 0 && removed.size === pairs.length) return this.#replacePair(owner, ownerKey, {});
    for (const pair of pairs) {
      if (removed.has(keyOf(pair)!))
        this.splices.push({ start: lineStart(this.source, rangeOf(pair.key)![0]), end: pairEnd(this.source, pair), text: '' });
    }
    const added: [string, EditValue][] = [];
    for (const [key, value] of set) {
      const pair = byKey.get(key);
      if (!pair) added.push([key, value]);
      else this.#setValue(pair, key, value);
    }
    if (added.length > 0) this.#insertPairs(map, added);
  }

  #setValue(pair: Pair, key: string, value: string): void {
    const node = pair.value;
    if (isScalar(node) && node.value === value) return;
    const range = rangeOf(node);
    // The whole pair goes when the value has a tag: it lies outside the value's range and would type the new text (!!binary).
    if (!isScalar(node) || node.tag || !range || range[0] === range[1]) return this.#replacePair(pair, key, value);
    // A block scalar's range ends with its line break; the replacement keeps it.
    const breakAfter = this.source[range[1] - 1] === '\n' ? '\n' : '';
    this.splices.push({ start: range[0], end: range[1], text: scalarText(value) + breakAfter });
  }

  edit(edit: MapEdit): void {
    if (!hasChanges(edit)) return;
    let node: unknown = this.document.contents;
    let owner: Pair | undefined;
    let ownerKey = '';
    for (const [depth, key] of edit.path.entries()) {
      if (!isMap(node)) throw new Error(`not a mapping above ${key}`);
      const rest = { ...edit, path: edit.path.slice(depth) };
      if (node.flow) return this.#editFlowMap(node, rest);
      const pair = (node.items as Pair[]).find((p) => keyOf(p) === key);
      if (!pair || !isMap(pair.value)) {
        if (Object.keys(edit.set ?? {}).length === 0) return; // nothing to remove from a missing map
        return this.#create(node, key, nest(edit.path.slice(depth + 1), edit.set ?? {}));
      }
      owner = pair;
      ownerKey = key;
      node = pair.value;
    }
    if (!isMap(node)) throw new Error('not a mapping');
    if (node.flow) return this.#editFlowMap(node, { ...edit, path: [] });
    this.#editBlockMap(node, owner, ownerKey, edit);
  }

  /** Splices the flow maps and created mappings the edits collected. */
  finish(): void {
    for (const [map, value] of this.#flowMaps) {
      const [start, end] = rangeOf(map)!;
      // A document that is a flow map is written as JSON (still YAML): a text starting with "{" is read as JSON.
      this.splices.push({ start, end, text: map === this.document.contents ? JSON.stringify(value) : flowText(value) });
    }
    for (const [map, created] of this.#created) {
      const added: [string, EditValue][] = [];
      for (const [key, value] of created) {
        const pair = (map.items as Pair[]).find((p) => keyOf(p) === key);
        if (pair) this.#replacePair(pair, key, value);
        else added.push([key, value]);
      }
      if (added.length > 0) this.#insertPairs(map, added);
    }
  }
}

/** The splices that apply `edits` to `document` (parsed from `source`). */
export function yamlEditSplices(source: string, document: Document.Parsed, edits: readonly MapEdit[]): Splice[] {
  const editor = new YamlEditor(source, document);
  for (const edit of edits) editor.edit(edit);
  editor.finish();
  return editor.splices;
}

/**
 * Applies splices made against `source`, last offset first so earlier offsets stay
 * valid. At one offset a removal goes before insertions, and insertions keep the
 * order they were made in.
 */
export function applySplices(source: string, splices: readonly Splice[]): string {
  // In one pass, first offset first (the same order reversed): applying splices one by one copies the text each time.
  const ordered = splices
    .map((splice, order) => ({ ...splice, order }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  const parts: string[] = [];
  let at = 0;
  for (const { start, end, text } of ordered) {
    parts.push(source.slice(at, start), text);
    at = end;
  }
  parts.push(source.slice(at));
  return parts.join('');
}

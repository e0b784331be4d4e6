/**
 * A quick reading of SealedSecret YAML as kubeseal writes it, for reseal, which reads
 * whole repositories: block mappings of plain or simply quoted one-line scalars, comments,
 * and "---" between documents. Parsing such a file with the full YAML reader costs more
 * main-thread time than the file's RSA work leaves spare on a second core. Anything
 * outside that subset (flow collections, lists, anchors, tags, escapes, multi-line
 * scalars, tabs, a key twice, YAML 1.2 booleans or numbers, …) gives undefined, and the
 * file is parsed in full; what the scan accepts, it reads as the full reader does
 * (packages/cli/test/sealed-yaml-scan.test.ts compares them).
 */
import { MAX_DATA_ENTRIES, type KubeObject } from '@sealkit/core/manifest';
import type { ValueKey } from '../seal/sealed-values.js';

export interface ValueRange {
  start: number;
  end: number;
}

export interface ScannedDocument {
  value: KubeObject;
  /** Where each value of spec.encryptedData, and spec.data, stands in the text (a plain scalar). */
  values: Map<ValueKey, ValueRange>;
}

/** Larger files are parsed in full, with every bound of the full reader; this size holds no more lines than a mapping may hold entries. */
export const MAX_SCANNED_BYTES = MAX_DATA_ENTRIES * 3;
const MAX_DEPTH = 32;

// indent, then: key ":" [value] [comment] | comment | nothing. A key or plain value starts with
// no indicator character and holds no space, ":" or "#"; quoted values hold no escape or quote.
const LINE =
  /^( *)(?:([A-Za-z_.][\w./-]*):(?: +(?:"([^"\\\x00-\x1f\x7f]*)"|'([^'\x00-\x1f\x7f]*)'|([A-Za-z_/][\w./+=-]*)))?(?: +#.*| *)$|#.*$|$)/;
const DOCUMENT_START = /^---(?: +#.*| *)$/;
/** Plain scalars the YAML 1.2 core schema reads as other than a string: booleans, .inf/.nan, and floats such as ".5" or ".5e1". */
const NOT_A_STRING = /^(?:true|True|TRUE|false|False|FALSE|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN|\.[0-9].*)$/;
const NULL = /^(?:null|Null|NULL)$/;

interface Frame {
  indent: number;
  map: KubeObject;
  /** Whether this mapping is spec.encryptedData (2) or spec (1) of the document's root, else 0. */
  role: 0 | 1 | 2;
}

/** The documents of `text` that hold something, or undefined when it is not in the subset read here. */
export function scanSealedYaml(text: string): ScannedDocument[] | undefined {
  if (text.length > MAX_SCANNED_BYTES || text.charCodeAt(0) === 0xfeff) return undefined;
  const documents: ScannedDocument[] = [];
  let stack: Frame[] = [];
  let values = new Map<ValueKey, ValueRange>();
  let open: { frame: Frame; key: string; indent: number } | undefined; // a key whose value is on the next lines
  const endDocument = () => {
    if (open) open.frame.map[open.key] = null;
    if (stack.length > 0) documents.push({ value: stack[0]!.map, values });
    stack = [];
    values = new Map();
    open = undefined;
  };
  for (let at = 0; at < text.length;) {
    const newline = text.indexOf('\n', at);
    const next = newline < 0 ? text.length : newline + 1;
    const end = newline > at && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline < 0 ? text.length : newline;
    const line = text.slice(at, end);
    const lineStart = at;
    at = next;
    if (line.startsWith('---')) {
      if (!DOCUMENT_START.test(line)) return undefined;
      endDocument();
      continue;
    }
    const match = LINE.exec(line);
    if (!match) return undefined;
    const key = match[2];
    if (key === undefined) continue; // a comment or a blank line
    const indent = match[1]!.length;
    if (NOT_A_STRING.test(key) || NULL.test(key) || key === '__proto__') return undefined;
    if (open) {
      if (indent > open.indent) {
        if (stack.length >= MAX_DEPTH) return undefined;
        const parent = open.frame;
        const map: KubeObject = {};
        parent.map[open.key] = map;
        const role = parent === stack[0] && open.key === 'spec' ? 1 : parent.role === 1 && open.key === 'encryptedData' ? 2 : 0;
        stack.push({ indent, map, role });
      } else open.frame.map[open.key] = null;
      open = undefined;
    }
    while (stack.length > 0 && stack.at(-1)!.indent > indent) stack.pop();
    if (stack.length === 0) {
      if (indent !== 0) return undefined;
      stack.push({ indent: 0, map: {}, role: 0 });
    }
    const frame = stack.at(-1)!;
    if (frame.indent !== indent || Object.hasOwn(frame.map, key)) return undefined;
    const [, , , doubleQuoted, singleQuoted, plain] = match;
    if (plain !== undefined) {
      if (NOT_A_STRING.test(plain)) return undefined;
      frame.map[key] = NULL.test(plain) ? null : plain;
      if (frame.role === 2 || (frame.role === 1 && key === 'data')) {
        const start = lineStart + line.indexOf(plain, indent + key.length + 1); // only spaces lie between the ":" and the value
        values.set(frame.role === 2 ? key : undefined, { start, end: start + plain.length });
      }
    } else if (doubleQuoted !== undefined || singleQuoted !== undefined) {
      // A quoted sealed value would be rewritten plain by the full path's editor: left to it.
      if (frame.role === 2 || (frame.role === 1 && key === 'data')) return undefined;
      frame.map[key] = doubleQuoted ?? singleQuoted;
    } else open = { frame, key, indent };
  }
  endDocument();
  return documents;
}

/**
 * Output exactly as kubeseal prints it, so switching tools changes no bytes in
 * users' files. kubeseal encodes with Kubernetes' serializers: JSON is Go's
 * json.MarshalIndent of the Go struct (struct field order, map keys sorted, <>&
 * escaped) plus a newline; YAML is that JSON converted by sigs.k8s.io/yaml
 * (go-yaml v2: every mapping sorted with go-yaml's key order, double quotes) plus a newline.
 */
import { isObject, type KubeObject } from './documents.js';
import { goYamlDocument } from './go-yaml.js';

export type OutputFormat = 'json' | 'yaml';

/** Field order of a Go struct; `maps` are Go maps, whose keys encoding/json sorts. */
interface GoShape {
  fields: readonly string[];
  maps?: readonly string[];
  nested?: Readonly<Record<string, GoShape>>;
}

const OBJECT_META: GoShape = {
  fields: [
    'name',
    'generateName',
    'namespace',
    'selfLink',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'labels',
    'annotations',
    'ownerReferences',
    'finalizers',
    'managedFields',
  ],
  maps: ['labels', 'annotations'],
};

const SHAPES: Record<string, GoShape> = {
  Secret: {
    fields: ['kind', 'apiVersion', 'metadata', 'immutable', 'data', 'stringData', 'type'],
    maps: ['data', 'stringData'],
    nested: { metadata: OBJECT_META },
  },
  SealedSecret: {
    fields: ['kind', 'apiVersion', 'metadata', 'spec', 'status'],
    nested: {
      metadata: OBJECT_META,
      spec: {
        fields: ['template', 'data', 'encryptedData'],
        maps: ['encryptedData'],
        nested: { template: { fields: ['metadata', 'type', 'immutable', 'data'], maps: ['data'], nested: { metadata: OBJECT_META } } },
      },
    },
  },
};

/**
 * Objects that are Go maps, whose keys encoding/json writes in byte order. Marked rather than
 * rebuilt in order: a JavaScript object always lists integer-like keys ("0") first.
 */
const goMaps = new WeakSet<object>();

/** A code point as UTF-8 encodes it: a lone surrogate becomes U+FFFD. */
const encodedCodePoint = (text: string, at: number) => {
  const code = text.codePointAt(at)!;
  return code >= 0xd800 && code <= 0xdfff ? 0xfffd : code;
};

/** Byte order of the strings' UTF-8, which is their code points' order (not their UTF-16 units'). */
function byUtf8(a: string, b: string): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const [x, y] = [encodedCodePoint(a, i), encodedCodePoint(b, i)];
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function sortedKeys(record: KubeObject): KubeObject {
  const map = { ...record };
  goMaps.add(map);
  return map;
}

/** The object with its fields in Go struct order; fields Go does not know keep their place after them. */
function inGoOrder(object: KubeObject, shape: GoShape): KubeObject {
  const out: KubeObject = {};
  const keys = [...shape.fields.filter((key) => key in object), ...Object.keys(object).filter((key) => !shape.fields.includes(key))];
  for (const key of keys) {
    const value = object[key];
    const nested = shape.nested?.[key];
    if (nested && isObject(value)) out[key] = inGoOrder(value, nested);
    else if (shape.maps?.includes(key) && isObject(value)) out[key] = sortedKeys(value);
    else out[key] = value;
  }
  return out;
}

function goShaped(object: KubeObject): KubeObject {
  const shape = typeof object.kind === 'string' ? SHAPES[object.kind] : undefined;
  return shape ? inGoOrder(object, shape) : object;
}

// Go's encoding/json escapes these even in pretty output (HTML safety, JavaScript line separators).
const GO_JSON_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** JSON.stringify's layout, with Go maps' keys in byte order. */
function stringifyJson(value: unknown, indent: string, depth: string): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    const inner = depth + indent;
    const entries = Array.isArray(value)
      ? value.map((item) => stringifyJson(item, indent, inner) ?? 'null')
      : (goMaps.has(value) ? Object.keys(value).sort(byUtf8) : Object.keys(value)).flatMap((key) => {
          const text = stringifyJson((value as KubeObject)[key], indent, inner);
          return text === undefined ? [] : [`${JSON.stringify(key)}:${indent ? ' ' : ''}${text}`];
        });
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return `${open}${close}`;
    return indent ? `${open}\n${inner}${entries.join(`,\n${inner}`)}\n${depth}${close}` : `${open}${entries.join(',')}${close}`;
  }
  return JSON.stringify(value);
}

/** Go's json.MarshalIndent(value, "", "  ") and a newline. */
export function renderJson(value: unknown, indent: string | number = 2): string {
  const unit = typeof indent === 'number' ? ' '.repeat(indent) : indent;
  // The escaped characters can only occur inside strings, so replacing them everywhere is exact.
  return `${stringifyJson(value, unit, '')!.replace(/[<>&\u2028\u2029]/g, (c) => GO_JSON_ESCAPES[c]!)}\n`;
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

/** go-yaml v2's map key order (its keyList.Less): non-letters before letters, digit runs by number. */
export function goYamlKeyOrder(a: string, b: string): number {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]! ? -1 : 1;
    if (al || bl) return bl ? -1 : 1;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return ar[i]! < br[i]! ? -1 : 1;
  }
  return ar.length - br.length;
}

/**
 * sigs.k8s.io/yaml's output (go-yaml v2, see go-yaml.ts): sorted keys, unindented sequences,
 * and YAML 1.1's idea of which strings need quotes ("on", "yes", dates): kubectl reads YAML 1.1.
 */
export function renderYaml(value: unknown): string {
  return goYamlDocument(value, goYamlKeyOrder);
}

/** One object as kubeseal (v0.24 and later) prints it: YAML documents each start with `---`. */
export function renderObject(object: KubeObject, format: OutputFormat): string {
  return format === 'json' ? renderJson(goShaped(object)) : `---\n${renderYaml(object)}`;
}

/**
 * Several objects, one after the other as kubeseal prints them (each YAML document
 * after its `---`, each JSON object on its own lines), or, when `asList`, one v1 List
 * (the shape the input had).
 */
export function renderObjects(objects: KubeObject[], format: OutputFormat, asList = false): string {
  if (asList) return renderObject({ kind: 'List', apiVersion: 'v1', items: objects.map(goShaped) }, format);
  return objects.map((object) => renderObject(object, format)).join('');
}

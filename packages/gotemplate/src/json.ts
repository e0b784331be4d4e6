// Go's encoding/json for template values: sorted map keys, HTML-safe escaping unless raw, and decoding.
import { ferr } from './errors.js';
import { timeJson } from './gotime.js';
import { semverString } from './semver.js';
import { formatFloat, hex } from './strconv.js';
import { goStr, jsStr, runes } from './utf8.js';
import { type Val, dictOf, float, list, sortedKeys } from './values.js';

/** A JSON string of a Go string: invalid UTF-8 becomes \ufffd, as in encoding/json. */
function jsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const [r, i, n] of runes(s)) {
    if (r < 0x80) {
      const c = String.fromCharCode(r);
      if (c === '"' || c === '\\') out += '\\' + c;
      else if (r >= 0x20 && !(escapeHTML && (c === '<' || c === '>' || c === '&'))) out += c;
      else out += { 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t' }[r] ?? '\\u' + hex(r, 4);
    } else if (n === 1 && r === 0xfffd) out += '\\ufffd';
    else if (r === 0x2028 || r === 0x2029) out += '\\u' + hex(r, 4);
    else out += s.slice(i, i + n);
  }
  return out + '"';
}
/** json.Marshal (indent null) or json.MarshalIndent with the given indent. */
export function jsonEncode(v: Val, escapeHTML: boolean, indent: string | null, cur = ''): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return jsonString(v, escapeHTML);
  if (typeof v === 'boolean') return String(v);
  const inner = indent === null ? '' : cur + indent;
  const [open, sep, close] = indent === null ? ['', ',', ''] : ['\n' + inner, ',\n' + inner, '\n' + cur];
  switch (v.k) {
    case 'float64':
      if (!Number.isFinite(v.n)) throw ferr(`json: unsupported value: ${formatFloat(v.n, 'g', -1)}`);
      return Object.is(v.n, -0) ? '-0' : String(v.n);
    case 'time':
      return '"' + timeJson(v) + '"';
    case 'list':
      if (v.items.length === 0) return v.nil ? 'null' : '[]';
      return '[' + open + v.items.map((x) => jsonEncode(x, escapeHTML, indent, inner)).join(sep) + close + ']';
    case 'map': {
      if (v.m.size === 0) return '{}';
      const colon = indent === null ? ':' : ': ';
      const kv = sortedKeys(v.m).map((k) => jsonString(k, escapeHTML) + colon + jsonEncode(v.m.get(k)!, escapeHTML, indent, inner));
      return '{' + open + kv.join(sep) + close + '}';
    }
    case 'complex128':
      throw ferr('json: unsupported type: complex128');
    case 'semver':
      return jsonString(semverString(v), escapeHTML); // Version.MarshalJSON
    default:
      return v.n.toString();
  }
}
/** A parsed JSON value as json.Unmarshal into interface{} gives it: numbers become float64. */
function fromJsValue(x: unknown): Val {
  if (x === null || x === undefined) return null;
  if (typeof x === 'string') return goStr(x);
  if (typeof x === 'number') return float(x);
  if (typeof x === 'boolean') return x;
  if (Array.isArray(x)) return list(x.map(fromJsValue));
  const m = new Map<string, Val>();
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) m.set(goStr(k), fromJsValue(v));
  return dictOf(m);
}
/** json.Unmarshal into interface{}; any failure is "invalid JSON". */
export function mustFromJson(s: string): Val {
  try {
    return fromJsValue(JSON.parse(jsStr(s)));
  } catch {
    throw ferr('invalid JSON'); // JSON.parse messages quote the input
  }
}

// Go text/template's builtin functions: and, or, not, len, index, print*, html, js, urlquery, call and comparisons.
import { ferr } from '../errors.js';
import { sprint, sprintf, sprintln } from '../format.js';
import { hex } from '../strconv.js';
import { isPrint, runes } from '../utf8.js';
import {
  type GoInt,
  type GoList,
  type GoMap,
  type Val,
  deepEqual,
  int,
  isInt,
  isList,
  isMap,
  isObj,
  mkInt,
  truth,
  typeName,
} from '../values.js';
import { defineFuncs, strArg } from './signature.js';

/** text/template's evalArgs: a lone string as is, else Sprint with nil shown as <no value>. */
const evalArgs = (a: Val[]): string =>
  a.length === 1 && typeof a[0] === 'string' ? a[0] : sprint(a.map((x) => (x === null ? '<no value>' : x)));

/** Go's basic kinds as the comparison functions group them (null: not a basic kind). */
type BK = 'bool' | 'int' | 'uint' | 'float' | 'complex' | 'string' | null;
function basicKind(v: Val): BK {
  if (v === null) return null;
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v.k === 'int' || v.k === 'int64') return 'int';
  if (v.k === 'uint8' || v.k === 'uint32' || v.k === 'uint64') return 'uint';
  return v.k === 'float64' ? 'float' : v.k === 'complex128' ? 'complex' : null;
}
function basicEqual(a: Val, b: Val): boolean {
  if (!isObj(a) || !isObj(b)) return a === b;
  if (a.k === 'complex128' || b.k === 'complex128') return deepEqual(a, b);
  return (a as GoInt).n === (b as GoInt).n;
}
/** text/template's eq: a1 equals any of the rest. */
function eq(a1: Val, rest: Val[]): boolean {
  if (rest.length === 0) throw ferr('missing argument for comparison');
  const k1 = basicKind(a1);
  for (const b of rest) {
    const k2 = basicKind(b);
    let t = false;
    if (k1 !== k2) {
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) t = basicEqual(a1, b);
      else if (a1 !== null && b !== null) throw ferr(`incompatible types for comparison: ${typeName(a1)} and ${typeName(b)}`);
    } else if (k1 !== null) t = basicEqual(a1, b);
    else if (a1 === null || b === null) t = a1 === b;
    else if ((a1 as GoList | GoMap).k !== (b as GoList | GoMap).k) throw ferr(`non-comparable types ${typeName(a1)} and ${typeName(b)}`);
    else throw ferr(`non-comparable type ${typeName(b)}`);
    if (t) return true;
  }
  return false;
}
/** text/template's lt. */
function lt(a: Val, b: Val): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (!k1 || !k2) throw ferr('invalid type for comparison');
  if (k1 !== k2 && !((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')))
    throw ferr(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
  if (k1 === 'bool' || k1 === 'complex') throw ferr('invalid type for comparison');
  return (isObj(a) ? (a as GoInt).n : (a as string)) < (isObj(b) ? (b as GoInt).n : (b as string));
}

/** text/template's HTMLEscape (NUL becomes U+FFFD, as UTF-8 bytes). */
const HTML_ESCAPES: Record<string, string> = { '\0': '\xef\xbf\xbd', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' };
/** text/template's JSEscape of the ASCII characters it does not print as they are. */
const JS_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
};

export const BUILTIN_FUNCS = defineFuncs((def) => {
  // Go builtins (and/or are special-cased by the evaluator; sprig's slice replaces Go's).
  def(['and', 'or'], ['any'], () => null, 'any');
  def('not', ['any'], (a) => !truth(a[0]!));
  def('len', ['any'], ([v]) => {
    if (v === null || v === undefined) throw ferr('len of untyped nil');
    if (typeof v === 'string') return int(v.length);
    if (isList(v)) return int(v.items.length);
    if (isMap(v)) return int(v.m.size);
    throw ferr(`len of type ${typeName(v)}`);
  });
  def(
    'index',
    ['any'],
    (a) => {
      let item: Val = a[0] ?? null;
      if (item === null) throw ferr('index of untyped nil');
      for (const ix of a.slice(1)) {
        if (item === null) throw ferr('index of nil pointer');
        if (typeof item === 'string' || isList(item)) {
          if (ix === null) throw ferr('cannot index slice/array with nil');
          if (!isInt(ix)) throw ferr(`cannot index slice/array with type ${typeName(ix)}`);
          const len = typeof item === 'string' ? item.length : item.items.length;
          if (ix.n < 0n || ix.n >= BigInt(len)) throw ferr('index out of range');
          item = typeof item === 'string' ? mkInt('uint8', BigInt(item.charCodeAt(Number(ix.n)))) : item.items[Number(ix.n)]!;
        } else if (isMap(item)) {
          if (ix === null) throw ferr('value is nil; should be of type string');
          if (typeof ix !== 'string') throw ferr(`value has type ${typeName(ix)}; should be string`);
          const r = item.m.get(ix);
          item = r !== undefined ? r : item.elem === 'string' ? '' : null;
          continue;
        } else throw ferr(`can't index item of type ${typeName(item)}`);
      }
      return item;
    },
    'any',
  );
  def('print', [], sprint, 'any');
  def('println', [], sprintln, 'any');
  def('printf', ['string'], (a) => sprintf(strArg(a, 0), a.slice(1)), 'any');
  def('html', [], (a) => evalArgs(a).replace(/[\0"'&<>]/g, (c) => HTML_ESCAPES[c]!), 'any');
  def(
    'js',
    [],
    (a) => {
      const s = evalArgs(a);
      let out = '';
      for (const [r, i, n] of runes(s)) {
        if (r >= 0x80) out += n === 1 || isPrint(r) ? s.slice(i, i + n) : '\\u' + r.toString(16).toUpperCase().padStart(4, '0');
        else {
          const c = String.fromCharCode(r);
          out += JS_ESCAPES[c] ?? (r < 0x20 ? '\\u00' + hex(r, 2).toUpperCase() : c);
        }
      }
      return out;
    },
    'any',
  );
  def(
    'urlquery',
    [],
    (a) =>
      [...evalArgs(a)]
        .map((c) => (/[A-Za-z0-9\-_.~]/.test(c) ? c : c === ' ' ? '+' : '%' + hex(c.charCodeAt(0), 2).toUpperCase()))
        .join(''),
    'any',
  );
  def(
    'call',
    ['any'],
    ([fn]) => {
      throw ferr(fn === null || fn === undefined ? 'call of nil' : `non-function of type ${typeName(fn)}`);
    },
    'any',
  );
  def('eq', ['any'], (a) => eq(a[0]!, a.slice(1)), 'any');
  def('ne', ['any', 'any'], (a) => !eq(a[0]!, [a[1]!]));
  def('lt', ['any', 'any'], (a) => lt(a[0]!, a[1]!));
  def('le', ['any', 'any'], (a) => lt(a[0]!, a[1]!) || eq(a[0]!, [a[1]!]));
  def('gt', ['any', 'any'], (a) => !(lt(a[0]!, a[1]!) || eq(a[0]!, [a[1]!])));
  def('ge', ['any', 'any'], (a) => !lt(a[0]!, a[1]!));
});

// The Go value model: the few Go types a template over map[string]string can meet, and their typing rules.
import type { GoTime } from './gotime.js';
import type { GoSemver } from './semver.js';
import { charge, checkListLength } from './limits.js';

export type IntKind = 'int' | 'int64' | 'uint8' | 'uint32' | 'uint64';
export interface GoInt {
  readonly k: IntKind;
  readonly n: bigint;
}
export interface GoFloat {
  readonly k: 'float64';
  readonly n: number;
}
/** A complex128 (only template constants such as 2i make one). */
export interface GoComplex {
  readonly k: 'complex128';
  readonly re: number;
  readonly im: number;
}
export interface GoList {
  readonly k: 'list';
  /** The Go element type: string, int, interface {} or ('list') []interface {}. */
  readonly elem: 'string' | 'int' | 'any' | 'list';
  readonly items: Val[];
  /** A nil slice (e.g. what FindAllString returns when nothing matches): empty, but JSON null. */
  readonly nil?: true;
}
export interface GoMap {
  readonly k: 'map';
  readonly elem: 'string' | 'any';
  readonly m: Map<string, Val>;
}
/** null is Go's nil interface / invalid reflect.Value (printed as <no value> by an action). */
export type Val = string | boolean | GoInt | GoFloat | GoComplex | GoList | GoMap | GoTime | GoSemver | null;

/** An integer of the given Go kind, wrapped to its width as a Go conversion would. */
export const mkInt = (k: IntKind, n: bigint): GoInt => ({
  k,
  n:
    k === 'uint8'
      ? BigInt.asUintN(8, n)
      : k === 'uint32'
        ? BigInt.asUintN(32, n)
        : k === 'uint64'
          ? BigInt.asUintN(64, n)
          : BigInt.asIntN(64, n),
});
export const int = (n: number | bigint): GoInt => mkInt('int', BigInt(n));
export const int64 = (n: number | bigint): GoInt => mkInt('int64', BigInt(n));
export const float = (n: number): GoFloat => ({ k: 'float64', n });
/** A nil slice of the given element type. */
export const nilList = (elem: GoList['elem']): GoList => ({ k: 'list', elem, items: [], nil: true });
/** A slice; elem is its Go element type, as typeName shows it. */
export const list = (items: Val[], elem: GoList['elem'] = 'any'): GoList => {
  checkListLength(items.length);
  return { k: 'list', elem, items };
};
export const dictOf = (m: Map<string, Val> = new Map(), elem: GoMap['elem'] = 'any'): GoMap => ({ k: 'map', elem, m });
export const isObj = (v: Val): v is GoInt | GoFloat | GoComplex | GoList | GoMap | GoTime | GoSemver => typeof v === 'object' && v !== null;
export const isTime = (v: Val): v is GoTime => isObj(v) && v.k === 'time';
export const isSemver = (v: Val): v is GoSemver => isObj(v) && v.k === 'semver';
export const isInt = (v: Val): v is GoInt =>
  isObj(v) && (v.k === 'int' || v.k === 'int64' || v.k === 'uint8' || v.k === 'uint32' || v.k === 'uint64');
export const isList = (v: Val): v is GoList => isObj(v) && v.k === 'list';
export const isMap = (v: Val): v is GoMap => isObj(v) && v.k === 'map';
/** Map keys in byte order, as fmt and text/template visit them. */
export const sortedKeys = (m: Map<string, Val>): string[] => [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** reflect.Type.String() of the value. */
export function typeName(v: Val): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v.k === 'list') return { any: '[]interface {}', list: '[][]interface {}', string: '[]string', int: '[]int' }[v.elem];
  if (v.k === 'map') return v.elem === 'any' ? 'map[string]interface {}' : 'map[string]string';
  if (v.k === 'time') return 'time.Time';
  if (v.k === 'semver') return v.pointer ? '*semver.Version' : 'semver.Version';
  return v.k;
}
/** reflect.Kind.String() of the value. */
export function kindName(v: Val): string {
  if (v === null) return 'invalid';
  if (isList(v)) return 'slice';
  if (isTime(v)) return 'struct';
  if (isSemver(v)) return v.pointer ? 'ptr' : 'struct';
  return isMap(v) ? 'map' : typeName(v);
}
/** Go's template truth (and the negation of sprig's empty). */
export function truth(v: Val): boolean {
  if (v === null) return false;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'boolean') return v;
  switch (v.k) {
    case 'list':
      return v.items.length > 0;
    case 'map':
      return v.m.size > 0;
    case 'float64':
      return v.n !== 0;
    case 'time':
      return true; // a struct
    case 'complex128':
      return v.re !== 0 || v.im !== 0;
    case 'semver':
      return true; // a non-nil pointer, or a struct
    default:
      return v.n !== 0n;
  }
}
const COMPARE_COST = 10;
/** reflect.DeepEqual, charged per comparison (uniq, has and without compare all pairs). */
export function deepEqual(a: Val, b: Val): boolean {
  charge(COMPARE_COST);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (typeName(a) !== typeName(b)) return false;
  if (a.k === 'list' && b.k === 'list') return a.items.length === b.items.length && a.items.every((x, i) => deepEqual(x, b.items[i]!));
  if (a.k === 'map' && b.k === 'map') return a.m.size === b.m.size && [...a.m].every(([k, x]) => b.m.has(k) && deepEqual(x, b.m.get(k)!));
  if (a.k === 'time' && b.k === 'time') return a.sec === b.sec && a.nsec === b.nsec && a.offset === b.offset && a.zone === b.zone;
  if (a.k === 'time' || b.k === 'time') return false;
  if (a.k === 'complex128' && b.k === 'complex128') return a.re === b.re && a.im === b.im;
  if (a.k === 'complex128' || b.k === 'complex128') return false;
  if (a.k === 'semver' || b.k === 'semver')
    return (
      a.k === b.k &&
      JSON.stringify(a, (_, x) => (typeof x === 'bigint' ? String(x) : x)) ===
        JSON.stringify(b, (_, x) => (typeof x === 'bigint' ? String(x) : x))
    );
  return (a as GoInt | GoFloat).n === (b as GoInt | GoFloat).n;
}

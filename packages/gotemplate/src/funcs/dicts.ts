// Sprig's dictionary functions: dict, get, set, unset, hasKey, pluck, keys, values, pick, omit, dig, deepCopy.
import { strval } from '../cast.js';
import { ferr } from '../errors.js';
import { type GoMap, type Val, dictOf, isList, isMap, list, sortedKeys, truth } from '../values.js';
import { defineFuncs, dictArg, strArg } from './signature.js';

/** sprig's merge and mergeOverwrite: each source into the first dict, which is the result. */
function mergeAll(a: Val[], overwrite: boolean): Val {
  const dst = a[0] as GoMap | null;
  if (dst === null) throw ferr('src and dst must be of same type');
  for (const src of a.slice(1)) if (src !== null) mergeInto(dst, src as GoMap, overwrite);
  return dst;
}
/** sprig's deepCopy (copystructure): new lists and maps all the way down. */
const deepCopy = (v: Val): Val =>
  isList(v) ? list(v.items.map(deepCopy), v.elem) : isMap(v) ? dictOf(new Map([...v.m].map(([k, x]) => [k, deepCopy(x)])), v.elem) : v;

/**
 * mergo's deep merge of src into dst (in place, as sprig's merge changes its first dict): a key missing or
 * empty in dst takes src's value; with overwrite, src's value wins, except that a non-empty list or map
 * in dst stays (maps merge key by key).
 */
function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean, depth = 0): void {
  if (depth > 100) throw ferr('merge nesting too deep');
  for (const [k, v] of src.m) {
    const d = dst.m.get(k);
    if (v === null) {
      if (overwrite) dst.m.set(k, null);
      continue;
    }
    if (isMap(v) && d !== undefined && isMap(d)) mergeInto(d, v, overwrite, depth + 1);
    const dstEmpty = d === undefined || !truth(d);
    if (!dstEmpty && (isList(v) || (isMap(v) && isMap(d!)))) continue;
    if (overwrite || dstEmpty) dst.m.set(k, v);
  }
}

export const DICT_FUNCS = defineFuncs((def) => {
  def(['merge', 'mustMerge'], ['dict'], (a) => mergeAll(a, false), 'dict');
  def(['mergeOverwrite', 'mustMergeOverwrite'], ['dict'], (a) => mergeAll(a, true), 'dict');
  def(
    'dict',
    [],
    (a) => {
      const m = new Map<string, Val>();
      for (let i = 0; i < a.length; i += 2) m.set(strval(a[i]!), i + 1 < a.length ? a[i + 1]! : '');
      return dictOf(m);
    },
    'any',
  );
  def('get', ['dict', 'string'], (a) => dictArg(a, 0)?.m.get(strArg(a, 1)) ?? (dictArg(a, 0)?.m.has(strArg(a, 1)) ? null : ''));
  def('set', ['dict', 'string', 'any'], (a) => {
    const d = dictArg(a, 0);
    if (!d) throw ferr('assignment to entry in nil map');
    d.m.set(strArg(a, 1), a[2]!);
    return d;
  });
  def('unset', ['dict', 'string'], (a) => {
    dictArg(a, 0)?.m.delete(strArg(a, 1));
    return dictArg(a, 0);
  });
  def('hasKey', ['dict', 'string'], (a) => dictArg(a, 0)?.m.has(strArg(a, 1)) ?? false);
  def(
    'pluck',
    ['string'],
    (a) => list((a.slice(1) as (GoMap | null)[]).filter((d) => d?.m.has(strArg(a, 0))).map((d) => d!.m.get(strArg(a, 0))!)),
    'dict',
  );
  // Go's map order is random; sealkit sorts keys (and values by key) for reproducible output.
  def(
    'keys',
    [],
    (a) =>
      list(
        (a as (GoMap | null)[]).flatMap((d) => (d ? sortedKeys(d.m) : [])),
        'string',
      ),
    'dict',
  );
  def('values', ['dict'], (a) => list(dictArg(a, 0) ? sortedKeys(dictArg(a, 0)!.m).map((k) => dictArg(a, 0)!.m.get(k)!) : []));
  def(
    'pick',
    ['dict'],
    (a) => dictOf(new Map((a.slice(1) as string[]).filter((k) => dictArg(a, 0)?.m.has(k)).map((k) => [k, dictArg(a, 0)!.m.get(k)!]))),
    'string',
  );
  def(
    'omit',
    ['dict'],
    (a) => dictOf(new Map([...(dictArg(a, 0)?.m ?? [])].filter(([k]) => !(a.slice(1) as string[]).includes(k)))),
    'string',
  );
  def(
    'dig',
    [],
    (a) => {
      if (a.length < 3) throw ferr('dig needs at least three arguments');
      const typeErr = (): never => {
        throw ferr('interface conversion: value is not map[string]interface {}');
      };
      let d = a[a.length - 1]!;
      const keys = a.slice(0, -2);
      if (keys.some((k) => typeof k !== 'string')) throw ferr('interface conversion: key is not string');
      for (let i = 0; ; i++) {
        if (!isMap(d) || d.elem !== 'any') typeErr();
        const m = d as GoMap;
        if (!m.m.has(keys[i] as string)) return a[a.length - 2]!;
        d = m.m.get(keys[i] as string)!;
        if (i === keys.length - 1) return d;
      }
    },
    'any',
  );
  def(['deepCopy', 'mustDeepCopy'], ['any'], (a) => deepCopy(a[0]!));
});

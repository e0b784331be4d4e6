// Sprig's list functions: list, append, first, rest, uniq, without, has, slice, concat, chunk, compact, ...
import { toInt64 } from '../cast.js';
import { ferr } from '../errors.js';
import { type GoList, type Val, deepEqual, isList, kindName, list, nilList, truth } from '../values.js';
import { defineFuncs, intArg } from './signature.js';

/** sprig's list functions first require a slice or array (and panic on nil). */
function asList(v: Val, what: string): GoList {
  if (v === null) throw ferr('runtime error: invalid memory address or nil pointer dereference');
  if (!isList(v)) throw ferr(`Cannot ${what} on type ${kindName(v)}`);
  return v;
}

export const LIST_FUNCS = defineFuncs((def) => {
  def(['list', 'tuple'], [], (a) => list([...a]), 'any');
  def(['append', 'push', 'mustAppend', 'mustPush'], ['any', 'any'], (a) => list([...asList(a[0]!, 'push').items, a[1]!]));
  def(['prepend', 'mustPrepend'], ['any', 'any'], (a) => list([a[1]!, ...asList(a[0]!, 'prepend').items]));
  def(['first', 'mustFirst'], ['any'], (a) => asList(a[0]!, 'find first').items[0] ?? null);
  def(['last', 'mustLast'], ['any'], (a) => asList(a[0]!, 'find last').items.at(-1) ?? null);
  def(['rest', 'mustRest'], ['any'], (a) => list(asList(a[0]!, 'find rest').items.slice(1)));
  def(['initial', 'mustInitial'], ['any'], (a) => list(asList(a[0]!, 'find initial').items.slice(0, -1)));
  def(['reverse', 'mustReverse'], ['any'], (a) => list([...asList(a[0]!, 'find reverse').items].reverse()));
  def(['uniq', 'mustUniq'], ['any'], (a) =>
    list(asList(a[0]!, 'find uniq').items.reduce<Val[]>((u, x) => (u.some((y) => deepEqual(x, y)) ? u : [...u, x]), [])),
  );
  def(
    ['without', 'mustWithout'],
    ['any'],
    (a) => list(asList(a[0]!, 'find without').items.filter((x) => !a.slice(1).some((y) => deepEqual(x, y)))),
    'any',
  );
  // A nil haystack holds nothing (sprig checks it before the slice test).
  def(['has', 'mustHas'], ['any', 'any'], (a) => a[1] !== null && asList(a[1]!, 'find has').items.some((x) => deepEqual(a[0]!, x)));
  def(
    ['slice', 'mustSlice'],
    ['any'],
    (a) => {
      const l = a[0]!;
      if (l === null) throw ferr('runtime error: invalid memory address or nil pointer dereference');
      if (!isList(l)) throw ferr(`list should be type of slice or array but ${kindName(l)}`);
      if (l.items.length === 0) return null;
      const start = a.length > 1 ? Number(toInt64(a[1]!)) : 0;
      const end = a.length > 2 ? Number(toInt64(a[2]!)) : l.items.length;
      if (start < 0 || end > l.items.length || start > end) throw ferr('reflect: slice index out of range');
      return list(l.items.slice(start, end), l.elem);
    },
    'any',
  );
  def(
    'concat',
    [],
    (a) => {
      const out: Val[] = [];
      for (const l of a) {
        if (!isList(l)) throw ferr(`Cannot concat type ${kindName(l)} as list`);
        out.push(...l.items);
      }
      return out.length === 0 ? nilList('any') : list(out); // sprig appends to a nil slice
    },
    'any',
  );
  def(['chunk', 'mustChunk'], ['int', 'any'], (a) => {
    const size = intArg(a, 0);
    const items = asList(a[1]!, 'chunk').items;
    // sprig's arithmetic, float division and all: a size of 0 or below only sometimes fails in Go.
    const count = Math.floor((items.length - 1) / size) + 1;
    if (!Number.isFinite(count) || count < 0) throw ferr('runtime error: makeslice: len out of range');
    const out: Val[] = [];
    for (let i = 0; i < count; i++) {
      let length = size;
      if (i === count - 1) length = Math.floor(items.length % size) || size;
      if (length < 0) throw ferr('runtime error: makeslice: len out of range');
      const chunk: Val[] = [];
      for (let j = 0; j < length; j++) {
        const ix = i * size + j;
        if (ix < 0 || ix >= items.length) throw ferr('reflect: slice index out of range');
        chunk.push(items[ix]!);
      }
      out.push(list(chunk));
    }
    return list(out, 'list');
  });
  def(['compact', 'mustCompact'], ['any'], (a) => list(asList(a[0]!, 'compact').items.filter(truth)));
});

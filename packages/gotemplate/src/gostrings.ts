// Go's strings package over byte strings: the slicing, trimming, splitting and case rules sprig relies on.
import { ferr } from './errors.js';
import { checkListLength, checkStringLength } from './limits.js';
import { caseRune, isDigit, isLetter, isSpaceRune, mapRunes, runes } from './utf8.js';

/** s[lo:hi], panicking as Go does when out of range. */
export function goSlice(s: string, lo: number, hi: number): string {
  if (lo < 0 || hi > s.length || lo > hi) throw ferr('runtime error: slice bounds out of range');
  return s.slice(lo, hi);
}
/** strings.TrimFunc: drops the leading and trailing runes that match. */
function trimRunes(s: string, drop: (r: number) => boolean): string {
  const rs = runes(s);
  let a = 0;
  let b = rs.length;
  while (a < b && drop(rs[a]![0])) a++;
  while (b > a && drop(rs[b - 1]![0])) b--;
  if (a === b) return '';
  return s.slice(rs[a]![1], rs[b - 1]![1] + rs[b - 1]![2]);
}
/** strings.TrimSpace. */
export const goTrimSpace = (s: string): string => trimRunes(s, isSpaceRune);
/** strings.Trim. */
export function goTrim(s: string, cutset: string): string {
  const set = new Set(runes(cutset).map(([r]) => r));
  return trimRunes(s, (r) => set.has(r));
}
/** strings.Split / SplitN (n < 0: all). */
export function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const rs = runes(s);
    if (n < 0 || n > rs.length) n = rs.length;
    const out = rs.slice(0, Math.max(n - 1, 0)).map(([, i, sz]) => s.slice(i, i + sz));
    if (n > 0) out.push(s.slice(rs[n - 1]![1]));
    return out;
  }
  const out: string[] = [];
  let i = 0;
  while (n < 0 || out.length < n - 1) {
    const j = s.indexOf(sep, i);
    if (j < 0) break;
    out.push(s.slice(i, j));
    i = j + sep.length;
  }
  out.push(s.slice(i));
  checkListLength(out.length);
  return out;
}
/** strings.ReplaceAll, with an empty old string matching around every rune. */
export function goReplaceAll(s: string, old: string, repl: string): string {
  const parts = old === '' ? ['', ...runes(s).map(([, i, n]) => s.slice(i, i + n))] : null;
  if (parts) {
    checkStringLength(s.length + repl.length * parts.length);
    return parts.join(repl) + repl;
  }
  let count = 0;
  for (let i = s.indexOf(old); i >= 0; i = s.indexOf(old, i + old.length)) count++;
  checkStringLength(s.length + count * (repl.length - old.length));
  return s.split(old).join(repl);
}
/** strings.Title: upper-cases the first letter of each word. */
export function goTitle(s: string): string {
  let prev = 0x20;
  const sep = (r: number): boolean => {
    if (r < 0x80) return !/[0-9A-Za-z_]/.test(String.fromCharCode(r));
    if (isLetter(r) || isDigit(r)) return false;
    return isSpaceRune(r);
  };
  return mapRunes(s, (r) => {
    const up = sep(prev);
    prev = r;
    return up ? caseRune(r, 'title') : r;
  });
}

// Sprig's string functions, and its string-list functions (split, join, sortAlpha, ...).
import { strslice, strval } from '../cast.js';
import { ferr } from '../errors.js';
import { fmtV } from '../format.js';
import { goReplaceAll, goSlice, goSplit, goTitle, goTrim, goTrimSpace } from '../gostrings.js';
import { checkStringLength } from '../limits.js';
import { goQuote } from '../strconv.js';
import { caseRune, encodeRune, isSpaceRune, mapRunes } from '../utf8.js';
import { type GoMap, dictOf, isList, list } from '../values.js';
import { defineFuncs, intArg, strArg } from './signature.js';

/** sprig's indent: n spaces before every line. */
function indent(n: number, s: string): string {
  if (n < 0) throw ferr('strings: negative Repeat count');
  checkStringLength(n * (s.split('\n').length + 1) + s.length);
  const pad = ' '.repeat(n);
  return pad + s.replaceAll('\n', '\n' + pad);
}
/** sprig's split and splitn result: a map from _0, _1, ... to the parts. */
const indexedDict = (parts: string[]): GoMap => dictOf(new Map(parts.map((p, i) => [`_${i}`, p])), 'string');

export const STRING_FUNCS = defineFuncs((def) => {
  def('hello', [], () => 'Hello!');
  def('trunc', ['int', 'string'], (a) => {
    const [c, s] = [intArg(a, 0), strArg(a, 1)];
    if (c < 0 && s.length + c > 0) return s.slice(s.length + c);
    return c >= 0 && s.length > c ? s.slice(0, c) : s;
  });
  def('abbrev', ['int', 'string'], (a) => {
    const [w, s] = [intArg(a, 0), strArg(a, 1)];
    return w < 4 || s.length <= w ? s : s.slice(0, w - 3) + '...';
  });
  def('trim', ['string'], (a) => goTrimSpace(strArg(a, 0)));
  def('upper', ['string'], (a) => mapRunes(strArg(a, 0), (r) => caseRune(r, 'upper')));
  def('lower', ['string'], (a) => mapRunes(strArg(a, 0), (r) => caseRune(r, 'lower')));
  def('title', ['string'], (a) => goTitle(strArg(a, 0)));
  def('substr', ['int', 'int', 'string'], (a) => {
    const [start, end, s] = [intArg(a, 0), intArg(a, 1), strArg(a, 2)];
    if (start < 0) return goSlice(s, 0, end);
    if (end < 0 || end > s.length) return goSlice(s, start, s.length);
    return goSlice(s, start, end);
  });
  def('repeat', ['int', 'string'], (a) => {
    const [n, s] = [intArg(a, 0), strArg(a, 1)];
    if (n < 0) throw ferr('strings: negative Repeat count');
    checkStringLength(s.length * n);
    return s.repeat(n);
  });
  def(['trimall', 'trimAll'], ['string', 'string'], (a) => goTrim(strArg(a, 1), strArg(a, 0)));
  def('trimSuffix', ['string', 'string'], (a) => {
    const [suffix, s] = [strArg(a, 0), strArg(a, 1)];
    return s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s;
  });
  def('trimPrefix', ['string', 'string'], (a) => {
    const [prefix, s] = [strArg(a, 0), strArg(a, 1)];
    return s.startsWith(prefix) ? s.slice(prefix.length) : s;
  });
  def('nospace', ['string'], (a) => {
    // goutils.DeleteWhiteSpace walks bytes as if they were runes (so it re-encodes bytes >= 0x80).
    const s = strArg(a, 0);
    let out = '';
    let kept = 0;
    for (let i = 0; i < s.length; i++) {
      const b = s.charCodeAt(i);
      if (!isSpaceRune(b)) [out, kept] = [out + encodeRune(b), kept + 1];
    }
    return kept === s.length ? s : out;
  });
  def('contains', ['string', 'string'], (a) => strArg(a, 1).includes(strArg(a, 0)));
  def('hasPrefix', ['string', 'string'], (a) => strArg(a, 1).startsWith(strArg(a, 0)));
  def('hasSuffix', ['string', 'string'], (a) => strArg(a, 1).endsWith(strArg(a, 0)));
  def(
    'quote',
    [],
    (a) =>
      a
        .filter((x) => x !== null)
        .map((x) => goQuote(strval(x)))
        .join(' '),
    'any',
  );
  def(
    'squote',
    [],
    (a) =>
      a
        .filter((x) => x !== null)
        .map((x) => `'${fmtV(x)}'`)
        .join(' '),
    'any',
  );
  def(
    'cat',
    [],
    (a) =>
      a
        .filter((x) => x !== null)
        .map(fmtV)
        .join(' '),
    'any',
  );
  def('indent', ['int', 'string'], (a) => indent(intArg(a, 0), strArg(a, 1)));
  def('nindent', ['int', 'string'], (a) => '\n' + indent(intArg(a, 0), strArg(a, 1)));
  def('replace', ['string', 'string', 'string'], (a) => goReplaceAll(strArg(a, 2), strArg(a, 0), strArg(a, 1)));
  def('plural', ['string', 'string', 'int'], (a) => (intArg(a, 2) === 1 ? strArg(a, 0) : strArg(a, 1)));
  def('split', ['string', 'string'], (a) => indexedDict(goSplit(strArg(a, 1), strArg(a, 0))));
  def('splitn', ['string', 'int', 'string'], (a) => indexedDict(goSplit(strArg(a, 2), strArg(a, 0), intArg(a, 1))));
  def('splitList', ['string', 'string'], (a) => list(goSplit(strArg(a, 1), strArg(a, 0)), 'string'));
  def('toStrings', ['any'], (a) => list(strslice(a[0]!), 'string'));
  def('join', ['string', 'any'], (a) => {
    const parts = strslice(a[1]!);
    checkStringLength(parts.reduce((n, p) => n + p.length + strArg(a, 0).length, 0));
    return parts.join(strArg(a, 0));
  });
  def('sortAlpha', ['any'], ([v]) => list(isList(v!) ? strslice(v!).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)) : [strval(v!)], 'string'));
});

// Sprig's word functions from goutils and xstrings: swapcase, untitle, initials, abbrevboth, wrap, camelcase, snakecase, kebabcase, shuffle.
import { ferr } from '../errors.js';
import { caseRune, encodeRune, isLowerRune, isSpaceRune, isTitleRune, isUpperRune, runes } from '../utf8.js';
import { defineFuncs, intArg, strArg } from './signature.js';
import { camelCaseToLowerCase } from './snake-case.js';

/** Go's []rune(s) then string(...): invalid bytes become U+FFFD. */
const mapRuneList = (s: string, f: (r: number, i: number, all: number[]) => number): string => {
  const rs = runes(s).map(([r]) => r);
  return rs.map((r, i) => encodeRune(f(r, i, rs))).join('');
};

/** goutils.SwapCase. */
const swapCase = (s: string): string =>
  mapRuneList(s, (r) => (isUpperRune(r) || isTitleRune(r) ? caseRune(r, 'lower') : isLowerRune(r) ? caseRune(r, 'upper') : r));

/** goutils.Uncapitalize with the default delimiters (white space). */
function untitle(s: string): string {
  let next = true;
  return mapRuneList(s, (r) => {
    if (isSpaceRune(r)) next = true;
    else if (next) {
      next = false;
      return caseRune(r, 'lower');
    }
    return r;
  });
}

/** goutils.Initials: walks bytes as if they were runes (so a byte >= 0x80 is re-encoded). */
function initials(s: string): string {
  let out = '';
  let gap = true;
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i);
    if (isSpaceRune(b)) gap = true;
    else if (gap) [out, gap] = [out + encodeRune(b), false];
  }
  return out;
}

/** goutils.AbbreviateFull (byte offsets), behind sprig's own guard. */
function abbreviateFull(s: string, offset: number, maxWidth: number): string {
  if (s === '') return '';
  if (maxWidth < 4) throw ferr('minimum abbreviation width is 4');
  if (s.length <= maxWidth) return s;
  offset = Math.min(offset, s.length);
  if (s.length - offset < maxWidth - 3) offset = s.length - (maxWidth - 3);
  if (offset <= 4) return s.slice(0, maxWidth - 3) + '...';
  if (maxWidth < 7) throw ferr('minimum abbreviation width with offset is 7');
  if (offset + maxWidth - 3 < s.length) return '...' + abbreviateFull(s.slice(offset), 0, maxWidth - 3);
  return '...' + s.slice(s.length - (maxWidth - 3));
}

/** goutils.WrapCustom (byte offsets). */
function wrap(s: string, width: number, newline: string, wrapLongWords: boolean): string {
  if (s === '') return '';
  if (newline === '') newline = '\n';
  if (width < 1) width = 1;
  let out = '';
  let offset = 0;
  while (s.length - offset > width) {
    if (s[offset] === ' ') {
      offset++;
      continue;
    }
    const space = s.slice(offset, width + offset + 1).lastIndexOf(' ') + offset;
    if (space >= offset) {
      out += s.slice(offset, space) + newline;
      offset = space + 1;
    } else if (wrapLongWords) {
      out += s.slice(offset, width + offset) + newline;
      offset += width;
    } else {
      const index = s.indexOf(' ', width + offset);
      if (index < 0) {
        out += s.slice(offset);
        offset = s.length;
      } else {
        out += s.slice(offset, index) + newline;
        offset = index + 1;
      }
    }
  }
  return out + s.slice(offset);
}

const isConnector = (r: number): boolean => r === 0x2d || r === 0x5f || isSpaceRune(r);
/** xstrings.ToPascalCase (sprig's camelcase). */
function pascalCase(s: string): string {
  const rs = runes(s).map(([r]) => r);
  if (rs.length === 0) return '';
  let out = '';
  let i = 0;
  let r0 = 0;
  let firstUpper = false;
  for (; i < rs.length; i++) {
    r0 = rs[i]!;
    if (!isConnector(r0)) {
      firstUpper = isUpperRune(r0);
      r0 = caseRune(r0, 'upper');
      break;
    }
    out += encodeRune(r0);
  }
  // Nothing after the first letter, or only connectors (then the last one is written twice, as xstrings does).
  if (i >= rs.length - 1) return out + encodeRune(r0);
  for (i++; i < rs.length; i++) {
    const r1 = r0;
    r0 = rs[i]!;
    if (isConnector(r0) && isConnector(r1)) {
      out += encodeRune(r1);
      continue;
    }
    if (isConnector(r1)) {
      firstUpper = isUpperRune(r0);
      r0 = caseRune(r0, 'upper');
    } else {
      if (firstUpper) {
        if (isUpperRune(r0)) r0 = caseRune(r0, 'lower');
        else firstUpper = false;
      }
      out += encodeRune(r1);
    }
  }
  return out + encodeRune(r0);
}

/** xstrings.Shuffle: a random permutation of the runes. */
function shuffle(s: string): string {
  const rs = runes(s).map(([r]) => r);
  for (let i = rs.length - 1; i > 0; i--) {
    const j = crypto.getRandomValues(new Uint32Array(1))[0]! % (i + 1);
    [rs[i], rs[j]] = [rs[j]!, rs[i]!];
  }
  return rs.map(encodeRune).join('');
}

export const WORD_FUNCS = defineFuncs((def) => {
  def('swapcase', ['string'], (a) => swapCase(strArg(a, 0)));
  def('untitle', ['string'], (a) => untitle(strArg(a, 0)));
  def('initials', ['string'], (a) => initials(strArg(a, 0)));
  def('abbrevboth', ['int', 'int', 'string'], (a) => {
    const [left, right, s] = [intArg(a, 0), intArg(a, 1), strArg(a, 2)];
    if (right < 4 || (left > 0 && right < 7)) return s;
    return abbreviateFull(s, left, right);
  });
  def('wrap', ['int', 'string'], (a) => wrap(strArg(a, 1), intArg(a, 0), '', false));
  def('wrapWith', ['int', 'string', 'string'], (a) => wrap(strArg(a, 2), intArg(a, 0), strArg(a, 1), true));
  def('camelcase', ['string'], (a) => pascalCase(strArg(a, 0)));
  def('snakecase', ['string'], (a) => camelCaseToLowerCase(strArg(a, 0), '_'));
  def('kebabcase', ['string'], (a) => camelCaseToLowerCase(strArg(a, 0), '-'));
  def('shuffle', ['string'], (a) => shuffle(strArg(a, 0)));
});

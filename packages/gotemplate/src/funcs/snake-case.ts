// xstrings v1.5.0's ToSnakeCase and ToKebabCase (sprig's snakecase and kebabcase), line for line:
// the input is cut into words (upper-case runs, lower-case words, numbers, punctuation, connectors),
// which are lower-cased and joined with the connector by xstrings' rules.
import { caseRune, decodeRune, encodeRune, isLetter, isSpaceRune, isUpperRune, validRune } from '../utf8.js';

type WordType = 'invalid' | 'number' | 'upper' | 'alphabet' | 'connector' | 'punct' | 'other';
const RUNE_ERROR = 0xfffd;
const test = (re: RegExp, r: number): boolean => validRune(r) && re.test(String.fromCodePoint(r));
const isPunct = (r: number): boolean => test(/\p{P}/u, r);
const isNumber = (r: number): boolean => test(/\p{N}/u, r);
const isConnector = (r: number): boolean => r === 0x2d || r === 0x5f || isSpaceRune(r);
/** xstrings' isAlphabet: a letter, but not a CJK ideograph. */
const isAlphabet = (r: number): boolean =>
  isLetter(r) && (r < 0x3400 || !((r >= 0x4e00 && r <= 0x9fcc) || (r >= 0x3400 && r <= 0x4d85) || (r >= 0x20000 && r <= 0x2b81d)));

/** The next rune that is not RuneError at byte i, and the bytes up to its end; prev if none. */
function nextValidRune(s: string, i: number, prev: number): [number, number] {
  let size = 0;
  while (i < s.length) {
    const [r, n] = decodeRune(s, i);
    size += n;
    if (r !== RUNE_ERROR) return [r, size];
    i += n;
  }
  return [prev, size];
}

/** xstrings' nextWord over s from byte start: the word's type and end. */
function nextWord(s: string, start: number): [WordType, number] {
  if (start >= s.length) return ['invalid', start];
  let at = start;
  let [r, size] = nextValidRune(s, at, RUNE_ERROR);
  at += size;
  if (r === RUNE_ERROR) return ['invalid', at];
  /** Extends the word while more(r) holds. */
  const extend = (more: (r: number) => boolean): void => {
    while (at < s.length) {
      [r, size] = nextValidRune(s, at, r);
      if (!more(r)) break;
      at += size;
    }
  };
  if (isConnector(r)) return (extend(isConnector), ['connector', at]);
  if (isPunct(r)) return (extend(isPunct), ['punct', at]);
  if (isUpperRune(r)) {
    if (at >= s.length) return ['upper', at];
    [r, size] = nextValidRune(s, at, r);
    if (isUpperRune(r)) {
      let prevSize = size;
      at += size;
      while (at < s.length) {
        [r, size] = nextValidRune(s, at, r);
        if (!isUpperRune(r)) break;
        prevSize = size;
        at += size;
      }
      // "HTTPStatus" is "HTTP" and "Status": the last capital starts the next word.
      if (at < s.length && isAlphabet(r)) at -= prevSize;
    } else if (isAlphabet(r)) {
      at += size;
      extend((x) => isAlphabet(x) && !isUpperRune(x));
    }
    return ['upper', at];
  }
  if (isAlphabet(r)) return (extend((x) => isAlphabet(x) && !isUpperRune(x)), ['alphabet', at]);
  if (isNumber(r)) return (extend(isNumber), ['number', at]);
  while (at < s.length) {
    [r, size] = nextValidRune(s, at, r);
    if (size === 0 || isConnector(r) || isAlphabet(r) || isNumber(r) || isPunct(r)) break;
    at += size;
  }
  return ['other', at];
}

/** xstrings' toLower: upper-case words and connectors are lowered and connected; others are kept. */
function lowered(wt: WordType, word: string, connector: string): string {
  if (wt !== 'upper' && wt !== 'connector') return word;
  let out = '';
  for (let i = 0; i < word.length;) {
    const [r, n] = decodeRune(word, i);
    i += n;
    out += isConnector(r) ? connector : encodeRune(isUpperRune(r) ? caseRune(r, 'lower') : r);
  }
  return out;
}

/** xstrings' camelCaseToLowerCase. */
export function camelCaseToLowerCase(s: string, connector: string): string {
  if (s === '') return '';
  let out = '';
  let pos = 0;
  const next = (): [WordType, string] => {
    const [wt, end] = nextWord(s, pos);
    const word = s.slice(pos, end);
    pos = end;
    return [wt, word];
  };
  let [wt, word] = next();
  while (pos < s.length) {
    if (wt !== 'connector') out += lowered(wt, word, connector);
    const [prev, last] = [wt, word];
    [wt, word] = next();
    if (prev === 'number') {
      while (wt === 'alphabet' || wt === 'number') {
        out += lowered(wt, word, connector);
        [wt, word] = next();
      }
      if (wt !== 'invalid' && wt !== 'punct' && wt !== 'connector') out += connector;
    } else if (prev === 'connector') {
      out += lowered(prev, last, connector);
    } else if (prev !== 'punct') {
      if (wt !== 'number') {
        if (wt !== 'connector' && wt !== 'punct') out += connector;
        continue;
      }
      if (pos >= s.length) continue;
      const number = word;
      [wt, word] = next();
      if (wt !== 'alphabet') {
        out += lowered('number', number, connector);
        if (wt !== 'connector' && wt !== 'punct') out += connector;
        continue;
      }
      out += connector + lowered('number', number, connector);
      while (wt === 'alphabet' || wt === 'number') {
        out += lowered(wt, word, connector);
        [wt, word] = next();
      }
      if (wt !== 'invalid' && wt !== 'connector' && wt !== 'punct') out += connector;
    }
  }
  return out + lowered(wt, word, connector);
}

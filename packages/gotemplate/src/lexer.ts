// The template lexer (text/template/parse/lex.go), over the UTF-8 bytes of the source.
import { formatUnicode } from './format.js';
import { goQuote } from './strconv.js';
import { decodeRune, isDigit, isLetter } from './utf8.js';

export type TokT =
  | 'error'
  | 'eof'
  | 'text'
  | 'comment'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'bool'
  | 'char'
  | 'charconst'
  | 'complex'
  | 'assign'
  | 'declare'
  | 'field'
  | 'ident'
  | 'leftParen'
  | 'rightParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'string'
  | 'variable'
  | 'dot'
  | Keyword;
type Keyword = 'block' | 'break' | 'continue' | 'define' | 'else' | 'end' | 'if' | 'nil' | 'range' | 'template' | 'with';
export const KEYWORDS = new Set<string>(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'nil', 'range', 'template', 'with']);
export interface Tok {
  t: TokT;
  val: string;
  pos: number;
}
/** The space characters of an action (Go's lexer isSpace). */
const isSpaceB = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
/** A rune in a lexical error, as Go's %#U shows it. */
const fmtU = (r: number): string => formatUnicode(BigInt(r), true);

/** Tokens up to EOF or the first lexical error (Go's lexer is lazy; the parser stops there too). */
export function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  const n = src.length;
  let pos = 0;
  let start = 0;
  let parenDepth: number;
  const at = (i: number): number => (i < n ? src.charCodeAt(i) : -1);
  const runeAt = (i: number): [number, number] => (i < n ? decodeRune(src, i) : [-1, 0]);
  const isAlnum = (r: number): boolean => r === 0x5f || (r >= 0 && (isLetter(r) || isDigit(r)));
  const emit = (t: TokT): void => {
    toks.push({ t, val: src.slice(start, pos), pos: start });
    start = pos;
  };
  const fail = (msg: string): Tok[] => {
    toks.push({ t: 'error', val: msg, pos: start });
    return toks;
  };
  const atRightDelim = (): [boolean, boolean] => {
    if (isSpaceB(at(pos)) && at(pos + 1) === 0x2d && src.startsWith('}}', pos + 2)) return [true, true];
    return [src.startsWith('}}', pos), false];
  };
  const skipSpaces = (): void => {
    while (isSpaceB(at(pos))) pos++;
    start = pos;
  };
  const atTerminator = (): boolean => {
    const c = at(pos);
    return c === -1 || isSpaceB(c) || '.,|:)('.includes(String.fromCharCode(c)) || src.startsWith('}}', pos);
  };
  const accept = (set: string): boolean => {
    if (pos < n && set.includes(src[pos]!)) {
      pos++;
      return true;
    }
    return false;
  };
  const scanNumber = (): boolean => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    while (accept(digits));
    if (accept('.')) while (accept(digits));
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      while (accept('0123456789_'));
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      while (accept('0123456789_'));
    }
    accept('i');
    const [r, size] = runeAt(pos);
    if (isAlnum(r)) {
      pos += size;
      return false;
    }
    return true;
  };
  const scanWord = (): number => {
    for (;;) {
      const [r, size] = runeAt(pos);
      if (!isAlnum(r)) return r;
      pos += size;
    }
  };
  const quoted = (q: number): boolean => {
    for (;;) {
      const c = at(pos++);
      if (c === 0x5c && q !== 0x60) {
        const d = at(pos++);
        if (d !== -1 && d !== 0x0a) continue;
        return false;
      }
      if (c === -1 || (c === 0x0a && q !== 0x60)) return false;
      if (c === q) return true;
    }
  };

  for (;;) {
    // Text up to the next "{{".
    const x = src.indexOf('{{', pos);
    if (x < 0) {
      pos = n;
      if (pos > start) emit('text');
      emit('eof');
      return toks;
    }
    const trimLeft = at(x + 2) === 0x2d && isSpaceB(at(x + 3));
    let textEnd = x;
    if (trimLeft) while (textEnd > start && isSpaceB(src.charCodeAt(textEnd - 1))) textEnd--;
    if (textEnd > start) {
      pos = textEnd;
      emit('text');
    }
    pos = x + 2;
    start = x;
    const after = trimLeft ? 2 : 0;
    if (src.startsWith('/*', pos + after)) {
      pos += after;
      start = pos;
      const e = src.indexOf('*/', pos + 2);
      if (e < 0) return fail('unclosed comment');
      pos = e + 2;
      const [delim, trimRight] = atRightDelim();
      if (!delim) return fail('comment ends before closing delimiter');
      emit('comment');
      pos += (trimRight ? 2 : 0) + 2;
      if (trimRight) skipSpaces();
      start = pos;
      continue;
    }
    emit('leftDelim');
    pos += after;
    start = pos;
    parenDepth = 0;
    // Inside the action.
    for (;;) {
      const [delim, trimRight] = atRightDelim();
      if (delim) {
        if (parenDepth !== 0) return fail('unclosed left paren');
        if (trimRight) {
          pos += 2;
          start = pos;
        }
        pos += 2;
        emit('rightDelim');
        if (trimRight) skipSpaces();
        break;
      }
      const c = at(pos);
      if (c === -1) return fail('unclosed action');
      if (isSpaceB(c)) {
        let spaces = 0;
        while (isSpaceB(at(pos))) [pos, spaces] = [pos + 1, spaces + 1];
        if (at(pos) === 0x2d && src.startsWith('}}', pos + 1)) {
          pos--; // the last space belongs to " -}}"
          if (spaces === 1) continue;
        }
        emit('space');
        continue;
      }
      pos++;
      switch (String.fromCharCode(c)) {
        case '=':
          emit('assign');
          continue;
        case ':':
          if (at(pos) !== 0x3d) return fail('expected :=');
          pos++;
          emit('declare');
          continue;
        case '|':
          emit('pipe');
          continue;
        case '"':
          if (!quoted(0x22)) return fail('unterminated quoted string');
          emit('string');
          continue;
        case '`':
          if (!quoted(0x60)) return fail('unterminated raw quoted string');
          emit('rawString');
          continue;
        case "'":
          if (!quoted(0x27)) return fail('unterminated character constant');
          emit('charconst');
          continue;
        case '(':
          emit('leftParen');
          parenDepth++;
          continue;
        case ')':
          if (--parenDepth < 0) return fail('unexpected right paren');
          emit('rightParen');
          continue;
        case '$':
        case '.': {
          const r = at(pos);
          if (c === 0x2e && r >= 0x30 && r <= 0x39) break; // a number like .5
          if (atTerminator()) {
            emit(c === 0x24 ? 'variable' : 'dot');
            continue;
          }
          const bad = scanWord();
          if (!atTerminator()) return fail(`bad character ${fmtU(bad)}`);
          emit(c === 0x24 ? 'variable' : 'field');
          continue;
        }
      }
      if (c === 0x2b || c === 0x2d || c === 0x2e || (c >= 0x30 && c <= 0x39)) {
        pos--;
        if (!scanNumber()) return fail(`bad number syntax: ${goQuote(src.slice(start, pos))}`);
        const s = at(pos);
        if (s === 0x2b || s === 0x2d) {
          if (!scanNumber() || src[pos - 1] !== 'i') return fail(`bad number syntax: ${goQuote(src.slice(start, pos))}`);
          emit('complex');
        } else emit('number');
        continue;
      }
      pos--;
      const [r, size] = runeAt(pos);
      if (isAlnum(r)) {
        const bad = scanWord();
        if (!atTerminator()) return fail(`bad character ${fmtU(bad)}`);
        const word = src.slice(start, pos);
        emit(KEYWORDS.has(word) ? (word as Keyword) : word === 'true' || word === 'false' ? 'bool' : 'ident');
        continue;
      }
      if (r >= 0x20 && r < 0x7f) {
        pos += size;
        emit('char');
        continue;
      }
      return fail(`unrecognized character in action: ${fmtU(r)}`);
    }
  }
}

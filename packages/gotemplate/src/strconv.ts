// Go's strconv over byte strings: number formatting and parsing, and quoting and unquoting of literals.
import { decodeRune, encodeRune, isPrint, runes, validRune } from './utf8.js';

/** Lower-case hex digits of n, zero-padded to w. */
export const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');

/** A finite double as sign × mant × 2^exp, mant an integer below 2^53 (with the implicit bit). */
function floatParts(x: number): { negative: boolean; mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mant = biased === 0 ? fraction : fraction | (1n << 52n);
  return { negative: bits >> 63n === 1n, mant, exp: (biased === 0 ? 1 : biased) - 1075 };
}
/** The exact decimal digits of a finite double ax > 0, and where the decimal point goes among them. */
function exactDecimal(ax: number): { digits: string; point: number } {
  const { mant, exp } = floatParts(ax);
  const digits = exp >= 0 ? (mant << BigInt(exp)).toString() : (mant * 5n ** BigInt(-exp)).toString();
  return { digits, point: exp >= 0 ? digits.length : digits.length + exp };
}
/**
 * ax rounded to n significant digits as strconv rounds (half to even on an exact tie, where JavaScript's
 * toFixed and toExponential round half up): the digits (n of them) and the decimal point's position.
 */
function roundExact(ax: number, n: number, point0?: number): { digits: string; point: number } {
  const { digits, point } = exactDecimal(ax);
  if (point0 !== undefined) n = point + point0; // n digits after the point instead of n significant digits
  if (n < 0) return { digits: '', point };
  if (n >= digits.length) return { digits: digits.padEnd(n, '0'), point };
  const cut = digits.charCodeAt(n) - 48;
  const rest = /[1-9]/.test(digits.slice(n + 1));
  const up = cut > 5 || (cut === 5 && (rest || (n > 0 && (digits.charCodeAt(n - 1) - 48) % 2 === 1)));
  if (!up) return { digits: digits.slice(0, n), point };
  const bumped = (BigInt(digits.slice(0, n) || '0') + 1n).toString().padStart(n, '0');
  if (n === 0) return { digits: '1', point: point + 1 };
  return bumped.length > n ? { digits: bumped.slice(0, n), point: point + 1 } : { digits: bumped, point };
}
/** Number.prototype.toFixed, rounding as Go does. */
function toFixed(ax: number, prec: number): string {
  if (ax === 0) return ax.toFixed(prec);
  const { digits, point } = roundExact(ax, 0, prec);
  // digits × 10^(point - digits.length) is the rounded value: scale it by 10^prec to an integer.
  const scaled = (BigInt(digits || '0') * 10n ** BigInt(Math.max(0, point + prec - digits.length))).toString().padStart(prec + 1, '0');
  return prec > 0 ? scaled.slice(0, -prec) + '.' + scaled.slice(-prec) : scaled;
}
/** Number.prototype.toExponential(prec), rounding as Go does. */
function toExponential(ax: number, prec: number): string {
  if (ax === 0) return ax.toExponential(prec);
  const { digits, point } = roundExact(ax, prec + 1);
  return digits[0] + (prec > 0 ? '.' + digits.slice(1) : '') + 'e' + (point - 1 < 0 ? '' : '+') + (point - 1);
}

/** strconv.FormatFloat(x, 'b', -1, 64): the integer mantissa and the binary exponent (4503599627370496p-47). */
export function formatBinaryFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const { negative, mant, exp } = floatParts(x);
  return `${negative ? '-' : ''}${mant}p${exp >= 0 ? '+' : '-'}${Math.abs(exp)}`;
}
/** strconv.FormatFloat(x, 'x', prec, 64): hexadecimal mantissa and binary exponent (0x1.9p+06). */
export function formatHexFloat(x: number, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  let { mant, exp } = floatParts(x);
  // Normalized to a leading 1 bit (subnormals shifted up); zero prints as 0x0p+00.
  while (mant !== 0n && !(mant & (1n << 52n))) [mant, exp] = [mant << 1n, exp - 1];
  let e = mant === 0n ? 0 : exp + 52;
  if (prec >= 0 && prec < 13) {
    // Round the 52 fraction bits to 4*prec, half to even.
    const drop = BigInt(52 - 4 * prec);
    const half = 1n << (drop - 1n);
    const rem = mant & ((1n << drop) - 1n);
    mant >>= drop;
    if (rem > half || (rem === half && mant & 1n)) mant++;
    if (mant >> BigInt(4 * prec + 1)) [mant, e] = [mant >> 1n, e + 1];
    mant <<= drop;
  }
  let frac = (mant & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
  frac = prec < 0 ? frac.replace(/0+$/, '') : frac.slice(0, prec).padEnd(prec, '0');
  const lead = mant === 0n ? '0' : '1';
  return `${sign}0x${lead}${frac ? '.' + frac : ''}p${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** strconv.FormatFloat(x, 'g'|'e', prec, 64); prec -1 is the shortest representation. */
export function formatFloat(x: number, verb: 'g' | 'e' | 'f', prec: number, sharp = false): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const ax = Math.abs(x);
  if (verb === 'g' && x === 0) return sign + '0';
  if (verb === 'f') return sign + toFixed(ax, prec < 0 ? 6 : Math.min(prec, 100));
  const exp2 = (e: number): string => (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(2, '0');
  if (verb === 'e') {
    const [m, e] = toExponential(ax, prec < 0 ? 6 : Math.min(prec, 100)).split('e');
    return sign + m + 'e' + exp2(Number(e));
  }
  const [m, e] = (prec < 0 ? ax.toExponential() : toExponential(ax, Math.max(prec, 1) - 1)).split('e');
  let digits = m!.replace('.', '');
  if (!sharp) digits = digits.replace(/(.)0+$/, '$1');
  const exp = Number(e);
  const nd = digits.length;
  const dp = exp + 1;
  let eprec = prec < 0 ? 6 : Math.max(prec, 1);
  if (prec >= 0 && eprec > nd && nd >= dp) eprec = nd;
  if (exp < -4 || exp >= eprec) return sign + digits[0] + (nd > 1 ? '.' + digits.slice(1) : '') + 'e' + exp2(exp);
  if (dp <= 0) return sign + '0.' + '0'.repeat(-dp) + digits;
  if (dp >= nd) return sign + digits + '0'.repeat(dp - nd);
  return sign + digits.slice(0, dp) + '.' + digits.slice(dp);
}

/** Go's one-letter escapes in quoted literals, both ways. */
const LETTER_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };
const ESCAPE_LETTERS = new Map(Object.entries(LETTER_ESCAPES).map(([letter, r]) => [r, letter]));

/** One rune as strconv quotes it inside the given quote character (ascii: QuoteToASCII). */
function escapeRune(r: number, quote: number, ascii: boolean): string {
  if (r === quote || r === 0x5c) return '\\' + String.fromCharCode(r);
  if (ascii ? r < 0x80 && isPrint(r) : isPrint(r)) return encodeRune(r);
  const letter = ESCAPE_LETTERS.get(r);
  if (letter) return '\\' + letter;
  if (r < 0x20 || r === 0x7f) return '\\x' + hex(r, 2);
  if (!validRune(r)) r = 0xfffd;
  return r < 0x10000 ? '\\u' + hex(r, 4) : '\\U' + hex(r, 8);
}
/** strconv.Quote (ascii: QuoteToASCII). */
export function goQuote(s: string, ascii = false): string {
  let out = '"';
  for (const [r, i, n] of runes(s)) {
    out += n === 1 && r === 0xfffd && s.charCodeAt(i) >= 0x80 ? '\\x' + hex(s.charCodeAt(i), 2) : escapeRune(r, 0x22, ascii);
  }
  return out + '"';
}
/** strconv.QuoteRune. */
export const quoteRune = (r: number): string => "'" + escapeRune(validRune(r) ? r : 0xfffd, 0x27, false) + "'";

// Literals: strconv.Unquote / ParseInt / ParseUint / ParseFloat with base 0, as Go's parser uses them.

/** strconv.UnquoteChar at s[i]; returns [value, isByte, next] or null on a syntax error. */
export function unquoteChar(s: string, i: number, quote: number): [number, boolean, number] | null {
  const c = s.charCodeAt(i);
  if (c === quote && (quote === 0x27 || quote === 0x22)) return null;
  if (c >= 0x80) {
    const [r, size] = decodeRune(s, i);
    return [r, false, i + size];
  }
  if (c !== 0x5c) return [c, true, i + 1];
  const e = s[i + 1];
  if (e === undefined) return null;
  if (e in LETTER_ESCAPES) return [LETTER_ESCAPES[e]!, true, i + 2];
  if (e === '\\' || e.charCodeAt(0) === quote) return [e.charCodeAt(0), true, i + 2];
  const hexN = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
  if (hexN) {
    const h = s.slice(i + 2, i + 2 + hexN);
    if (h.length !== hexN || !/^[0-9a-fA-F]+$/.test(h)) return null;
    const v = parseInt(h, 16);
    if (e === 'x') return [v, true, i + 2 + hexN];
    return validRune(v) ? [v, false, i + 2 + hexN] : null;
  }
  if (e >= '0' && e <= '7') {
    const o = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) return null;
    return [parseInt(o, 8), true, i + 4];
  }
  return null;
}
/** strconv.Unquote of a "..." or `...` token; null on a syntax error. */
export function unquote(tok: string): string | null {
  if (tok[0] === '`') return tok.slice(1, -1).replace(/\r/g, '');
  const body = tok.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length;) {
    if (body[i] === '\n') return null;
    const r = unquoteChar(body, i, 0x22);
    if (!r) return null;
    out += r[1] ? String.fromCharCode(r[0]) : encodeRune(r[0]);
    i = r[2];
  }
  return out;
}
/** strconv's underscoreOK: underscores only between digits, and only with a base prefix. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let hexa = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hexa = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hexa && /[a-fA-F]/.test(c))) saw = '0';
    else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}
/** strconv.ParseUint(s, 0, 64). */
export function parseGoUint(s0: string): bigint | null {
  let s = s0;
  if (!s) return null;
  let base = 10;
  if (s[0] === '0') {
    const p = s.length >= 3 ? s[1]!.toLowerCase() : '';
    base = p === 'b' ? 2 : p === 'o' ? 8 : p === 'x' ? 16 : 8;
    s = s.slice(p === 'b' || p === 'o' || p === 'x' ? 2 : 1);
  }
  let v = 0n;
  let underscores = false;
  for (const ch of s) {
    if (ch === '_') {
      underscores = true;
      continue;
    }
    const d = parseInt(ch, 36);
    if (Number.isNaN(d) || d >= base) return null;
    v = v * BigInt(base) + BigInt(d);
    if (v > 0xffffffffffffffffn) return null;
  }
  return underscores && !underscoreOK(s0) ? null : v;
}
/** strconv.ParseInt(s, 0, 64). */
export function parseGoInt(s: string): bigint | null {
  const neg = s[0] === '-';
  const u = parseGoUint(s[0] === '-' || s[0] === '+' ? s.slice(1) : s);
  if (u === null || (neg ? u > 1n << 63n : u >= 1n << 63n)) return null;
  return neg ? -u : u;
}
/** strconv.ParseFloat(s, 64); null on syntax or range errors. */
export function parseGoFloat(s: string): number | null {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s[0] === '-' ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (s.includes('_') && !underscoreOK(s)) return null;
  const t = s.replace(/_/g, '');
  let v: number;
  const hx = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(t);
  if (hx) {
    const [, sign, ip = '', fp = '', e] = hx;
    if (!ip && !fp) return null;
    v = (parseInt(ip + fp || '0', 16) / 16 ** fp.length) * 2 ** Number(e);
    if (sign === '-') v = -v;
  } else if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) v = Number(t);
  else return null;
  return Number.isFinite(v) ? v : null;
}

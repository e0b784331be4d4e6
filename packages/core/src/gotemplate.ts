// Go text/template, as Bitnami sealed-secrets uses it for spec.template.data:
//   template.New(key).Funcs(sprigFuncMap).Parse(value) then Execute(&buf, map[string]string)
// where sprigFuncMap = sprig.GenericFuncMap() (sprig v3.3.0) minus env, expandenv and getHostByName.
//
// Go strings are byte strings, so internally every Go string is a JS string whose code units are bytes
// (0..255): the source and the data are UTF-8 encoded first and the output is decoded last. That keeps
// len, index, substr, trunc, b64dec | b64enc and friends byte-exact, as in Go.
//
// Layout: byte-string helpers, the value model and fmt, lexer, parser, evaluator, functions, render.
// Error messages never contain a data value: only template source text, Go type names and function names.
import { SealkitError } from './errors.js';

const MAX_OUTPUT = 1 << 20; // bytes written by one execution
const MAX_STRING = 1 << 20; // bytes in any string a function returns
const MAX_LIST = 100_000; // elements in any list a function builds
const MAX_STEPS = 1_000_000; // nodes walked, commands evaluated and range iterations
const MAX_WORK = 64 << 20; // bytes/elements passed to and returned by functions, in total
const MAX_NESTING = 100; // nested control structures and parentheses in the source
const MAX_TEMPLATE_DEPTH = 100; // nested {{template}} calls (Go allows 100000)

/** Internal: a fully formatted (byte string) error message, turned into a SealkitError at the boundary. */
class TplError extends Error {}
/** Internal: an error returned (or panicked) by a function; the evaluator adds "error calling NAME: ". */
class FuncError extends Error {}
const ferr = (msg: string): FuncError => new FuncError(msg);

// ---------------------------------------------------------------------------------------------------
// Byte strings and UTF-8

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

function bytesToBstr(u: Uint8Array): string {
  let s = '';
  for (let i = 0; i < u.length; i += 8192) s += String.fromCharCode(...u.subarray(i, i + 8192));
  return s;
}
function bstrToBytes(s: string): Uint8Array {
  const u = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  return u;
}
/** JS string -> Go string (UTF-8 bytes). */
const goStr = (s: string): string => bytesToBstr(utf8Encoder.encode(s));
/** Go string -> JS string (invalid UTF-8 becomes U+FFFD). */
const jsStr = (b: string): string => utf8Decoder.decode(bstrToBytes(b));

/** Decodes the rune at byte i like Go's utf8.DecodeRuneInString: invalid input is (U+FFFD, 1). */
function decodeRune(s: string, i: number): [number, number] {
  const b0 = s.charCodeAt(i);
  if (b0 < 0x80) return [b0, 1];
  const cb = (k: number, lo = 0x80, hi = 0xbf): number => {
    const b = s.charCodeAt(i + k);
    return b >= lo && b <= hi ? b & 0x3f : -1;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    const c1 = cb(1);
    if (c1 >= 0) return [((b0 & 0x1f) << 6) | c1, 2];
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    const c1 = cb(1, b0 === 0xe0 ? 0xa0 : 0x80, b0 === 0xed ? 0x9f : 0xbf);
    const c2 = c1 >= 0 ? cb(2) : -1;
    if (c2 >= 0) return [((b0 & 0x0f) << 12) | (c1 << 6) | c2, 3];
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    const c1 = cb(1, b0 === 0xf0 ? 0x90 : 0x80, b0 === 0xf4 ? 0x8f : 0xbf);
    const c2 = c1 >= 0 ? cb(2) : -1;
    const c3 = c2 >= 0 ? cb(3) : -1;
    if (c3 >= 0) return [((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4];
  }
  return [0xfffd, 1];
}
const validRune = (r: number): boolean => r >= 0 && r <= 0x10ffff && (r < 0xd800 || r > 0xdfff);
function encodeRune(r: number): string {
  if (!validRune(r)) r = 0xfffd;
  if (r < 0x80) return String.fromCharCode(r);
  if (r < 0x800) return String.fromCharCode(0xc0 | (r >> 6), 0x80 | (r & 0x3f));
  if (r < 0x10000) return String.fromCharCode(0xe0 | (r >> 12), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
  return String.fromCharCode(0xf0 | (r >> 18), 0x80 | ((r >> 12) & 0x3f), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
}
/** Runes of a Go string as [rune, byteStart, byteSize]. */
function runes(s: string): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < s.length; ) {
    const [r, n] = decodeRune(s, i);
    out.push([r, i, n]);
    i += n;
  }
  return out;
}
const runeCount = (s: string): number => runes(s).length;
/** Like Go's strings.Map: invalid bytes are passed as U+FFFD. */
const mapRunes = (s: string, f: (r: number) => number): string =>
  runes(s)
    .map(([r]) => encodeRune(f(r)))
    .join('');

const L_RE = /\p{L}/u;
const ND_RE = /\p{Nd}/u;
const PRINT_RE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;
const isLetter = (r: number): boolean =>
  r < 0x80 ? (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) : validRune(r) && L_RE.test(String.fromCodePoint(r));
const isDigit = (r: number): boolean =>
  r < 0x80 ? r >= 0x30 && r <= 0x39 : validRune(r) && ND_RE.test(String.fromCodePoint(r));
/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const isPrint = (r: number): boolean =>
  r < 0x80 ? r >= 0x20 && r < 0x7f : validRune(r) && PRINT_RE.test(String.fromCodePoint(r));
/** unicode.IsSpace. */
const isSpaceRune = (r: number): boolean =>
  (r >= 9 && r <= 13) ||
  r === 0x20 ||
  r === 0x85 ||
  r === 0xa0 ||
  r === 0x1680 ||
  (r >= 0x2000 && r <= 0x200a) ||
  r === 0x2028 ||
  r === 0x2029 ||
  r === 0x202f ||
  r === 0x205f ||
  r === 0x3000;
function caseRune(r: number, upper: boolean): number {
  if (r < 0x80) {
    if (upper && r >= 0x61 && r <= 0x7a) return r - 32;
    if (!upper && r >= 0x41 && r <= 0x5a) return r + 32;
    return r;
  }
  if (!validRune(r)) return r;
  const c = String.fromCodePoint(r);
  const m = [...(upper ? c.toUpperCase() : c.toLowerCase())];
  return m.length === 1 ? m[0]!.codePointAt(0)! : r; // Go maps rune by rune (simple case mapping)
}
const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');

// ---------------------------------------------------------------------------------------------------
// Values: the few Go types a template over map[string]string can meet.

type IntKind = 'int' | 'int64' | 'uint8';
interface GoInt {
  readonly k: IntKind;
  readonly n: bigint;
}
interface GoFloat {
  readonly k: 'float64';
  readonly n: number;
}
interface GoList {
  readonly k: 'list';
  readonly elem: 'string' | 'int' | 'any';
  readonly items: Val[];
}
interface GoMap {
  readonly k: 'map';
  readonly elem: 'string' | 'any';
  readonly m: Map<string, Val>;
}
/** null is Go's nil interface / invalid reflect.Value (printed as <no value> by an action). */
type Val = string | boolean | GoInt | GoFloat | GoList | GoMap | null;

const mkInt = (k: IntKind, n: bigint): GoInt => ({ k, n: k === 'uint8' ? BigInt.asUintN(8, n) : BigInt.asIntN(64, n) });
const int = (n: number | bigint): GoInt => mkInt('int', BigInt(n));
const int64 = (n: number | bigint): GoInt => mkInt('int64', BigInt(n));
const float = (n: number): GoFloat => ({ k: 'float64', n });
const list = (items: Val[], elem: GoList['elem'] = 'any'): GoList => {
  if (items.length > MAX_LIST) throw ferr(`list exceeds ${MAX_LIST} elements`);
  return { k: 'list', elem, items };
};
const dictOf = (m: Map<string, Val> = new Map(), elem: GoMap['elem'] = 'any'): GoMap => ({ k: 'map', elem, m });
const isObj = (v: Val): v is GoInt | GoFloat | GoList | GoMap => typeof v === 'object' && v !== null;
const isInt = (v: Val): v is GoInt => isObj(v) && (v.k === 'int' || v.k === 'int64' || v.k === 'uint8');
const isList = (v: Val): v is GoList => isObj(v) && v.k === 'list';
const isMap = (v: Val): v is GoMap => isObj(v) && v.k === 'map';
const sortedKeys = (m: Map<string, Val>): string[] => [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function typeName(v: Val): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v.k === 'list') return v.elem === 'any' ? '[]interface {}' : `[]${v.elem}`;
  if (v.k === 'map') return v.elem === 'any' ? 'map[string]interface {}' : 'map[string]string';
  return v.k;
}
function kindName(v: Val): string {
  if (v === null) return 'invalid';
  if (isList(v)) return 'slice';
  return isMap(v) ? 'map' : typeName(v);
}
/** Go's template truth (and the negation of sprig's empty). */
function truth(v: Val): boolean {
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
    default:
      return v.n !== 0n;
  }
}
function deepEqual(a: Val, b: Val): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (typeName(a) !== typeName(b)) return false;
  if (a.k === 'list' && b.k === 'list')
    return a.items.length === b.items.length && a.items.every((x, i) => deepEqual(x, b.items[i]!));
  if (a.k === 'map' && b.k === 'map')
    return a.m.size === b.m.size && [...a.m].every(([k, x]) => b.m.has(k) && deepEqual(x, b.m.get(k)!));
  return (a as GoInt | GoFloat).n === (b as GoInt | GoFloat).n;
}

// ---------------------------------------------------------------------------------------------------
// fmt: %v, Sprint, Sprintf and strconv.Quote, close to Go's output.

/** strconv.FormatFloat(x, 'g'|'e', prec, 64); prec -1 is the shortest representation. */
function formatFloat(x: number, verb: 'g' | 'e' | 'f', prec: number, sharp = false): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const ax = Math.abs(x);
  if (verb === 'g' && x === 0) return sign + '0';
  if (verb === 'f') return sign + ax.toFixed(prec < 0 ? 6 : Math.min(prec, 100));
  const exp2 = (e: number): string => (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(2, '0');
  if (verb === 'e') {
    const [m, e] = ax.toExponential(prec < 0 ? 6 : Math.min(prec, 100)).split('e');
    return sign + m + 'e' + exp2(Number(e));
  }
  const [m, e] = (prec < 0 ? ax.toExponential() : ax.toExponential(Math.max(prec, 1) - 1)).split('e');
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

/** fmt's %v. */
function fmtV(v: Val): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  switch (v.k) {
    case 'float64':
      return formatFloat(v.n, 'g', -1);
    case 'list':
      return '[' + v.items.map(fmtV).join(' ') + ']';
    case 'map':
      return 'map[' + sortedKeys(v.m).map((k) => k + ':' + fmtV(v.m.get(k)!)).join(' ') + ']';
    default:
      return v.n.toString();
  }
}

function escapeRune(r: number, quote: number, ascii: boolean): string {
  if (r === quote || r === 0x5c) return '\\' + String.fromCharCode(r);
  if (ascii ? r < 0x80 && isPrint(r) : isPrint(r)) return encodeRune(r);
  const named: Record<number, string> = { 7: 'a', 8: 'b', 12: 'f', 10: 'n', 13: 'r', 9: 't', 11: 'v' };
  if (named[r]) return '\\' + named[r];
  if (r < 0x20 || r === 0x7f) return '\\x' + hex(r, 2);
  if (!validRune(r)) r = 0xfffd;
  return r < 0x10000 ? '\\u' + hex(r, 4) : '\\U' + hex(r, 8);
}
/** strconv.Quote (ascii: QuoteToASCII). */
function goQuote(s: string, ascii = false): string {
  let out = '"';
  for (const [r, i, n] of runes(s)) {
    out += n === 1 && r === 0xfffd && s.charCodeAt(i) >= 0x80 ? '\\x' + hex(s.charCodeAt(i), 2) : escapeRune(r, 0x22, ascii);
  }
  return out + '"';
}
const quoteRune = (r: number): string => "'" + escapeRune(validRune(r) ? r : 0xfffd, 0x27, false) + "'";

/** fmt.Sprint: a space between operands when neither is a string. */
function sprint(args: Val[]): string {
  let out = '';
  let prevString = false;
  args.forEach((a, i) => {
    const isString = typeof a === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += fmtV(a);
    prevString = isString;
  });
  return out;
}
const sprintln = (args: Val[]): string => args.map(fmtV).join(' ') + '\n';

interface FmtFlags {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number;
  prec: number;
}
function pad(s: string, f: FmtFlags, zeroOk = false): string {
  if (f.width < 0) return s;
  const n = runeCount(s);
  if (f.width <= n) return s;
  if (f.minus) return s + ' '.repeat(f.width - n);
  if (f.zero && zeroOk) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(f.width - n) + s.slice(sign.length);
  }
  return ' '.repeat(f.width - n) + s;
}
function fmtInteger(n: bigint, base: number, verb: string, f: FmtFlags): string {
  let digits = (n < 0n ? -n : n).toString(base);
  if (verb === 'X') digits = digits.toUpperCase();
  if (f.prec >= 0) digits = f.prec === 0 && n === 0n ? '' : digits.padStart(f.prec, '0');
  let prefix = '';
  if (f.sharp) prefix = base === 16 ? (verb === 'X' ? '0X' : '0x') : base === 8 && !digits.startsWith('0') ? '0' : base === 2 ? '0b' : '';
  const sign = n < 0n ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  if (f.zero && !f.minus && f.prec < 0 && f.width > 0) {
    digits = digits.padStart(f.width - sign.length - prefix.length, '0');
  }
  return pad(sign + prefix + digits, f);
}
function badVerb(verb: string, v: Val): string {
  return v === null ? `%!${verb}(<nil>)` : `%!${verb}(${typeName(v)}=${fmtV(v)})`;
}
function fmtArg(v: Val, verb: string, f: FmtFlags): string {
  if (verb === 'T') return pad(typeName(v), f);
  if (v === null) return verb === 'v' ? pad('<nil>', f) : badVerb(verb, v);
  if (typeof v === 'string') {
    switch (verb) {
      case 'v':
        if (f.sharp) return pad(goQuote(v), f);
      // falls through
      case 's':
        return pad(f.prec >= 0 ? runes(v).slice(0, f.prec).map(([, i, n]) => v.slice(i, i + n)).join('') : v, f);
      case 'q':
        if (f.sharp && !/[\x00-\x08\x0a-\x1f\x7f`]/.test(v) && !v.includes('\xef\xbb\xbf') && runes(v).every(([r, , n]) => !(r === 0xfffd && n === 1)))
          return pad('`' + v + '`', f);
        return pad(goQuote(v, f.plus), f);
      case 'x':
      case 'X': {
        let h = [...v].map((c) => hex(c.charCodeAt(0), 2)).join(f.space ? ' ' : '');
        if (verb === 'X') h = h.toUpperCase();
        return pad(h, f);
      }
    }
    return badVerb(verb, v);
  }
  if (typeof v === 'boolean') return verb === 't' || verb === 'v' ? pad(String(v), f) : badVerb(verb, v);
  if (v.k === 'list' || v.k === 'map') {
    if (verb === 'v' && !f.sharp) return pad(fmtV(v), f);
    const g: FmtFlags = { ...f, width: -1 };
    if (v.k === 'list') return '[' + v.items.map((x) => fmtArg(x, verb, g)).join(' ') + ']';
    return 'map[' + sortedKeys(v.m).map((k) => fmtArg(k, verb, g) + ':' + fmtArg(v.m.get(k)!, verb, g)).join(' ') + ']';
  }
  if (v.k === 'float64') {
    switch (verb) {
      case 'v':
      case 'g':
      case 'G': {
        const s = formatFloat(v.n, 'g', f.prec, f.sharp);
        return pad((f.plus && v.n >= 0 && !s.startsWith('+') ? '+' : '') + (verb === 'G' ? s.toUpperCase() : s), f, true);
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F': {
        const s = formatFloat(v.n, verb === 'e' || verb === 'E' ? 'e' : 'f', f.prec);
        return pad((f.plus && v.n >= 0 && !s.startsWith('+') ? '+' : '') + (verb === 'E' ? s.toUpperCase() : s), f, true);
      }
    }
    return badVerb(verb, v);
  }
  switch (verb) {
    case 'v':
    case 'd':
      return fmtInteger(v.n, 10, verb, f);
    case 'b':
      return fmtInteger(v.n, 2, verb, f);
    case 'o':
      return fmtInteger(v.n, 8, verb, f);
    case 'x':
    case 'X':
      return fmtInteger(v.n, 16, verb, f);
    case 'c':
      return pad(encodeRune(Number(v.n)), f);
    case 'q':
      return pad(quoteRune(Number(v.n)), f);
    case 'U': {
      const s = 'U+' + v.n.toString(16).toUpperCase().padStart(4, '0');
      return pad(f.sharp && isPrint(Number(v.n)) ? `${s} '${encodeRune(Number(v.n))}'` : s, f);
    }
  }
  return badVerb(verb, v);
}
/** fmt.Sprintf for the verbs templates use: v s q d x X o b c U t e E f F g G T and %%. */
function sprintf(format: string, args: Val[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  const num = (): number => {
    let n = 0;
    while (i < format.length && format[i]! >= '0' && format[i]! <= '9') {
      n = n * 10 + (format.charCodeAt(i++) - 48);
      if (n > MAX_STRING) throw ferr('format width or precision too large');
    }
    return n;
  };
  const starArg = (): number => {
    const a = args[argi++];
    return a !== undefined && isInt(a) && a.k !== 'uint8' ? Number(a.n) : NaN;
  };
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const f: FmtFlags = { minus: false, plus: false, sharp: false, space: false, zero: false, width: -1, prec: -1 };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') f.minus = true;
      else if (c === '+') f.plus = true;
      else if (c === '#') f.sharp = true;
      else if (c === ' ') f.space = true;
      else if (c === '0') f.zero = true;
      else break;
    }
    if (format[i] === '*') {
      i++;
      const w = starArg();
      if (Number.isNaN(w) || Math.abs(w) > MAX_STRING) out += '%!(BADWIDTH)';
      else if (w < 0) [f.minus, f.width] = [true, -w];
      else f.width = w;
    } else if (format[i]! >= '0' && format[i]! <= '9') f.width = num();
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        i++;
        const p = starArg();
        if (Number.isNaN(p) || p > MAX_STRING) out += '%!(BADPREC)';
        else f.prec = p < 0 ? -1 : p;
      } else f.prec = num();
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const [r, size] = decodeRune(format, i);
    const verb = format.slice(i, i + size);
    i += size;
    if (r === 0x25) {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += fmtArg(args[argi++]!, verb, f);
    if (out.length > MAX_STRING) throw ferr('result exceeds the 1 MiB limit');
  }
  if (argi < args.length) {
    out += '%!(EXTRA ' + args.slice(argi).map((a) => (a === null ? '<nil>' : `${typeName(a)}=${fmtV(a)}`)).join(', ') + ')';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Lexer (text/template/parse/lex.go), over the UTF-8 bytes of the source.

type TokT =
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
const KEYWORDS = new Set<string>(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'nil', 'range', 'template', 'with']);
interface Tok {
  t: TokT;
  val: string;
  pos: number;
}
const isSpaceB = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const fmtU = (r: number): string =>
  'U+' + r.toString(16).toUpperCase().padStart(4, '0') + (isPrint(r) ? ` '${encodeRune(r)}'` : '');

/** Tokens up to EOF or the first lexical error (Go's lexer is lazy; the parser stops there too). */
function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  const n = src.length;
  let pos = 0;
  let start = 0;
  let parenDepth = 0;
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

// ---------------------------------------------------------------------------------------------------
// Literals: strconv.Unquote / ParseInt / ParseUint / ParseFloat with base 0, as Go's parser uses them.

/** strconv.UnquoteChar at s[i]; returns [value, isByte, next] or null on a syntax error. */
function unquoteChar(s: string, i: number, quote: number): [number, boolean, number] | null {
  const c = s.charCodeAt(i);
  if (c === quote && (quote === 0x27 || quote === 0x22)) return null;
  if (c >= 0x80) {
    const [r, size] = decodeRune(s, i);
    return [r, false, i + size];
  }
  if (c !== 0x5c) return [c, true, i + 1];
  const e = s[i + 1];
  if (e === undefined) return null;
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 0x5c };
  if (e in simple) return [simple[e]!, true, i + 2];
  if (e.charCodeAt(0) === quote) return [quote, true, i + 2];
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
function unquote(tok: string): string | null {
  if (tok[0] === '`') return tok.slice(1, -1).replace(/\r/g, '');
  const body = tok.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; ) {
    if (body[i] === '\n') return null;
    const r = unquoteChar(body, i, 0x22);
    if (!r) return null;
    out += r[1] ? String.fromCharCode(r[0]) : encodeRune(r[0]);
    i = r[2];
  }
  return out;
}
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
function parseGoUint(s0: string): bigint | null {
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
function parseGoInt(s: string): bigint | null {
  const neg = s[0] === '-';
  const u = parseGoUint(s[0] === '-' || s[0] === '+' ? s.slice(1) : s);
  if (u === null || (neg ? u > 1n << 63n : u >= 1n << 63n)) return null;
  return neg ? -u : u;
}
/** strconv.ParseFloat(s, 64); null on syntax or range errors. */
function parseGoFloat(s: string): number | null {
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

// ---------------------------------------------------------------------------------------------------
// Parser (text/template/parse/parse.go) into a small AST.

interface Span {
  pos: number;
  end: number;
}
type VarArg = Span & { k: 'field' | 'variable'; idents: string[] };
type Arg =
  | VarArg
  | (Span &
  (
    | { k: 'chain'; node: Arg; fields: string[] }
    | { k: 'ident'; name: string }
    | { k: 'dot' | 'nil' }
    | { k: 'bool'; v: boolean }
    | { k: 'number'; text: string; isInt: boolean; isUint: boolean; isFloat: boolean; int: bigint; float: number }
    | { k: 'string'; v: string }
    | { k: 'pipe'; pipe: Pipe }
  ));
interface Cmd extends Span {
  args: Arg[];
}
interface Pipe extends Span {
  decl: string[];
  isAssign: boolean;
  cmds: Cmd[];
}
type Node =
  | { k: 'text'; text: string }
  | { k: 'comment' }
  | (Span & { k: 'action'; pipe: Pipe })
  | ControlNode
  | (Span & { k: 'break' | 'continue' })
  | (Span & { k: 'template'; name: string; pipe: Pipe | null });
type ControlNode = Span & { k: 'if' | 'with' | 'range'; pipe: Pipe; list: Node[]; elseList: Node[] | null };
type Ctl = { k: 'end' | 'else'; pos: number };
const isCtl = (n: Node | Ctl): n is Ctl => n.k === 'end' || n.k === 'else';
type Trees = Map<string, Node[]>;

function isEmptyTree(list: Node[]): boolean {
  return list.every((n) => n.k === 'comment' || (n.k === 'text' && goTrimSpace(n.text) === ''));
}

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private depth = 0;
  private actionLine = 0;
  readonly trees: Trees = new Map();

  constructor(
    private readonly src: string,
    private readonly name: string,
    private readonly toks: Tok[],
  ) {}

  private line(pos: number): number {
    return this.src.slice(0, pos).split('\n').length;
  }
  private errorf(msg: string, pos = this.toks[Math.min(this.i, this.toks.length) - 1]?.pos ?? 0): never {
    throw new TplError(`template: ${this.name}:${this.line(pos)}: ${msg}`);
  }
  private next(): Tok {
    const t = this.toks[Math.min(this.i, this.toks.length - 1)]!;
    this.i++;
    return t;
  }
  private peek(): Tok {
    const t = this.next();
    this.i--;
    return t;
  }
  private nextNonSpace(): Tok {
    let t: Tok;
    do t = this.next();
    while (t.t === 'space');
    return t;
  }
  private peekNonSpace(): Tok {
    const t = this.nextNonSpace();
    this.i--;
    return t;
  }
  private unexpected(tok: Tok, context: string): never {
    if (tok.t === 'error') {
      const l = this.line(tok.pos);
      const extra = this.actionLine !== 0 && this.actionLine !== l ? ` in action started at ${this.name}:${this.actionLine}` : '';
      this.errorf(tok.val + extra, tok.pos);
    }
    this.errorf(`unexpected ${tokString(tok)} in ${context}`, tok.pos);
  }
  private expect(t: TokT, context: string): Tok {
    const tok = this.nextNonSpace();
    if (tok.t !== t) this.unexpected(tok, context);
    return tok;
  }
  private enter(): void {
    if (++this.depth > MAX_NESTING) this.errorf(`template nesting exceeds ${MAX_NESTING} levels`);
  }

  parse(): Trees {
    const root: Node[] = [];
    while (this.peek().t !== 'eof') {
      if (this.peek().t === 'leftDelim') {
        const save = this.i;
        this.next();
        if (this.nextNonSpace().t === 'define') {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if (isCtl(n)) this.errorf(`unexpected {{${n.k}}}`);
      root.push(n);
    }
    this.add(this.name, root);
    return this.trees;
  }

  private add(name: string, list: Node[]): void {
    const old = this.trees.get(name);
    if (!old || isEmptyTree(old)) this.trees.set(name, list);
    else if (!isEmptyTree(list)) this.errorf(`template: multiple definition of template ${goQuote(name)}`);
  }
  /** Parses a define'd or block body as its own tree: no variables but $, not inside a range. */
  private subTree(context: string): Node[] {
    const [vars, rangeDepth] = [this.vars, this.rangeDepth];
    [this.vars, this.rangeDepth] = [['$'], 0];
    this.enter();
    try {
      const [list, end] = this.itemList();
      if (end.k !== 'end') this.errorf(`unexpected {{${end.k}}} in ${context}`);
      return list;
    } finally {
      [this.vars, this.rangeDepth] = [vars, rangeDepth];
      this.depth--;
    }
  }
  private templateName(tok: Tok, context: string): string {
    if (tok.t !== 'string' && tok.t !== 'rawString') this.unexpected(tok, context);
    const s = unquote(tok.val);
    if (s === null) this.errorf('invalid syntax', tok.pos);
    return s;
  }
  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.templateName(this.nextNonSpace(), context);
    this.expect('rightDelim', context);
    this.add(name, this.subTree(context));
  }

  private itemList(): [Node[], Ctl] {
    const list: Node[] = [];
    while (this.peekNonSpace().t !== 'eof') {
      const n = this.textOrAction();
      if (isCtl(n)) return [list, n];
      list.push(n);
    }
    this.errorf('unexpected EOF');
  }
  private textOrAction(): Node | Ctl {
    const tok = this.nextNonSpace();
    switch (tok.t) {
      case 'text':
        return { k: 'text', text: tok.val };
      case 'comment':
        return { k: 'comment' };
      case 'leftDelim':
        this.actionLine = this.line(tok.pos);
        try {
          return this.action(tok.pos);
        } finally {
          this.actionLine = 0;
        }
    }
    this.unexpected(tok, 'input');
  }
  private action(pos: number): Node | Ctl {
    const tok = this.nextNonSpace();
    switch (tok.t) {
      case 'block':
        return this.blockControl(pos);
      case 'break':
      case 'continue': {
        const t = this.nextNonSpace();
        if (t.t !== 'rightDelim') this.unexpected(t, `{{${tok.t}}}`);
        if (this.rangeDepth === 0) this.errorf(`{{${tok.t}}} outside {{range}}`, tok.pos);
        return { k: tok.t, pos, end: t.pos + t.val.length };
      }
      case 'else': {
        const p = this.peekNonSpace();
        if (p.t === 'if' || p.t === 'with') return { k: 'else', pos: p.pos };
        return { k: 'else', pos: this.expect('rightDelim', 'else').pos };
      }
      case 'end':
        return { k: 'end', pos: this.expect('rightDelim', 'end').pos };
      case 'if':
      case 'with':
      case 'range':
        return this.control(tok.t, pos);
      case 'template': {
        const context = 'template clause';
        const name = this.templateName(this.nextNonSpace(), context);
        let pipe: Pipe | null = null;
        const t = this.nextNonSpace();
        if (t.t !== 'rightDelim') {
          this.i--;
          pipe = this.pipeline(context, 'rightDelim');
        }
        return { k: 'template', pos, end: pipe ? pipe.end : t.pos, name, pipe };
      }
    }
    this.i--;
    const pipe = this.pipeline('command', 'rightDelim');
    return { k: 'action', pos: pipe.pos, end: pipe.end, pipe };
  }
  private blockControl(pos: number): Node {
    const context = 'block clause';
    const name = this.templateName(this.nextNonSpace(), context);
    const pipe = this.pipeline(context, 'rightDelim');
    this.add(name, this.subTree(context));
    return { k: 'template', pos, end: pipe.end, name, pipe };
  }
  private control(k: 'if' | 'with' | 'range', pos: number): Node {
    const saveVars = this.vars.length;
    this.enter();
    try {
      const pipe = this.pipeline(k, 'rightDelim');
      if (k === 'range') this.rangeDepth++;
      let [list, next] = this.itemList();
      if (k === 'range') this.rangeDepth--;
      let elseList: Node[] | null = null;
      if (next.k === 'else') {
        // {{else if ...}} and {{else with ...}} nest a new control whose {{end}} closes both.
        if (k !== 'range' && this.peek().t === k) {
          const t = this.next();
          elseList = [this.control(k, t.pos)];
        } else {
          [elseList, next] = this.itemList();
          if (next.k !== 'end') this.errorf(`expected end; found {{${next.k}}}`);
        }
      }
      return { k, pos, end: pipe.end, pipe, list, elseList };
    } finally {
      this.vars.length = saveVars;
      this.depth--;
    }
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): Pipe {
    const first = this.peekNonSpace();
    const pipe: Pipe = { pos: first.pos, end: first.pos, decl: [], isAssign: false, cmds: [] };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.t !== 'variable') break;
      const save = this.i;
      this.next();
      const nxt = this.peekNonSpace();
      if (nxt.t === 'assign' || nxt.t === 'declare') {
        pipe.isAssign = nxt.t === 'assign';
        this.nextNonSpace();
        pipe.decl.push(v.val);
        this.vars.push(v.val);
      } else if (nxt.t === 'char' && nxt.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(v.val);
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().t;
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else this.i = save;
      break;
    }
    for (;;) {
      const tok = this.nextNonSpace();
      if (tok.t === end) {
        if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
        pipe.cmds.forEach((c, i) => {
          if (i > 0 && ['bool', 'dot', 'nil', 'number', 'string'].includes(c.args[0]!.k))
            this.errorf(`non executable command in pipeline stage ${i + 1}`);
        });
        pipe.end = tok.pos;
        return pipe;
      }
      switch (tok.t) {
        case 'bool':
        case 'charconst':
        case 'complex':
        case 'dot':
        case 'field':
        case 'ident':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.i--;
          pipe.cmds.push(this.command());
          continue;
      }
      this.unexpected(tok, context);
    }
  }
  private command(): Cmd {
    const cmd: Cmd = { pos: this.peekNonSpace().pos, end: 0, args: [] };
    for (;;) {
      this.peekNonSpace();
      const op = this.operand();
      if (op) cmd.args.push(op);
      const tok = this.next();
      if (tok.t === 'space') continue;
      if (tok.t === 'rightDelim' || tok.t === 'rightParen') this.i--;
      else if (tok.t !== 'pipe') this.unexpected(tok, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    cmd.end = cmd.args[cmd.args.length - 1]!.end;
    return cmd;
  }
  private operand(): Arg | null {
    const node = this.term();
    if (!node || this.peek().t !== 'field') return node;
    const fields: string[] = [];
    let end = node.end;
    while (this.peek().t === 'field') {
      const f = this.next();
      fields.push(f.val.slice(1));
      end = f.pos + f.val.length;
    }
    switch (node.k) {
      case 'field':
      case 'variable':
        return { k: node.k, pos: node.pos, end, idents: [...node.idents, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${goQuote(this.src.slice(node.pos, node.end))}`);
    }
    return { k: 'chain', pos: node.pos, end, node, fields };
  }
  private term(): Arg | null {
    const tok = this.nextNonSpace();
    const span = { pos: tok.pos, end: tok.pos + tok.val.length };
    switch (tok.t) {
      case 'ident':
        if (UNSUPPORTED.has(tok.val)) this.errorf(`function ${goQuote(tok.val)} is not supported by sealkit`);
        if (!FUNCS.has(tok.val)) this.errorf(`function ${goQuote(tok.val)} not defined`);
        return { k: 'ident', ...span, name: tok.val };
      case 'dot':
      case 'nil':
        return { k: tok.t, ...span };
      case 'variable':
        if (!this.vars.includes(tok.val)) this.errorf(`undefined variable ${goQuote(tok.val)}`);
        return { k: 'variable', ...span, idents: [tok.val] };
      case 'field':
        return { k: 'field', ...span, idents: [tok.val.slice(1)] };
      case 'bool':
        return { k: 'bool', ...span, v: tok.val === 'true' };
      case 'charconst':
      case 'complex':
      case 'number':
        return this.number(tok, span);
      case 'string':
      case 'rawString': {
        const v = unquote(tok.val);
        if (v === null) this.errorf('invalid syntax');
        return { k: 'string', ...span, v };
      }
      case 'leftParen': {
        this.enter();
        try {
          const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
          return { k: 'pipe', pos: tok.pos, end: pipe.end + 1, pipe };
        } finally {
          this.depth--;
        }
      }
    }
    this.i--;
    return null;
  }
  private number(tok: Tok, span: Span): Arg {
    const text = tok.val;
    const node = { k: 'number' as const, ...span, text, isInt: false, isUint: false, isFloat: false, int: 0n, float: 0 };
    if (tok.t === 'charconst') {
      const r = unquoteChar(text, 1, 0x27);
      if (!r) this.errorf('invalid syntax');
      if (text.slice(r[2]) !== "'") this.errorf(`malformed character constant: ${text}`);
      return { ...node, isInt: true, isUint: true, isFloat: true, int: BigInt(r[0]), float: r[0] };
    }
    if (tok.t === 'complex' || (text.endsWith('i') && parseGoFloat(text.slice(0, -1)) !== null))
      this.errorf(`complex number ${goQuote(text)} is not supported by sealkit`);
    const u = parseGoUint(text);
    const i = parseGoInt(text);
    if (i !== null) return { ...node, isInt: true, isUint: u !== null || i === 0n, isFloat: true, int: i, float: Number(i) };
    if (u !== null) return { ...node, isUint: true, isFloat: true, float: Number(u) };
    const f = parseGoFloat(text);
    if (f === null) this.errorf(`illegal number syntax: ${goQuote(text)}`);
    if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${goQuote(text)}`);
    const integral = Number.isInteger(f) && Math.abs(f) < 2 ** 63;
    return { ...node, isFloat: true, float: f, isInt: integral, int: integral ? BigInt(f) : 0n, isUint: integral && f >= 0 };
  }
}
function tokString(t: Tok): string {
  if (t.t === 'eof') return 'EOF';
  if (KEYWORDS.has(t.t) || t.t === 'dot') return `<${t.val}>`;
  const r = runes(t.val);
  if (r.length > 10) return goQuote(t.val.slice(0, r[10]![1])) + '...';
  return goQuote(t.val);
}

// ---------------------------------------------------------------------------------------------------
// Evaluator (text/template/exec.go).

const MISSING = Symbol('missing');
type Final = Val | typeof MISSING;
type Signal = 'break' | 'continue' | null;
/** Go parameter types of template functions. 'dict' is map[string]interface{}. */
type PT = 'string' | 'int' | 'int64' | 'float64' | 'bool' | 'any' | 'dict';
const PT_NAME: Record<PT, string> = {
  string: 'string',
  int: 'int',
  int64: 'int64',
  float64: 'float64',
  bool: 'bool',
  any: 'interface {}',
  dict: 'map[string]interface {}',
};
interface FnDef {
  p: PT[];
  v?: PT; // type of the variadic parameters, if any
  f: (a: Val[]) => Val;
}

class Exec {
  private out: string[] = [];
  private outLen = 0;
  private steps = 0;
  private work = 0;
  private depth = 0;
  private vars: { name: string; v: Val }[] = [];
  private tmplName: string;

  constructor(
    private readonly src: string,
    private readonly name: string,
    private readonly trees: Trees,
  ) {
    this.tmplName = name;
  }

  run(data: Val): string {
    this.vars = [{ name: '$', v: data }];
    this.walkList(data, this.trees.get(this.name) ?? []);
    return this.out.join('');
  }

  private fail(node: Span | null, msg: string): never {
    if (!node) throw new TplError(`template: ${this.tmplName}: ${msg}`);
    const nl = this.src.lastIndexOf('\n', node.pos - 1);
    const line = this.src.slice(0, node.pos).split('\n').length;
    let ctx = this.src.slice(node.pos, Math.max(node.end, node.pos)).replace(/[\t\n\r ]+$/, '');
    const rs = runes(ctx);
    if (rs.length > 20) ctx = ctx.slice(0, rs[20]![1]) + '...';
    throw new TplError(
      `template: ${this.name}:${line}:${node.pos - nl - 1}: executing ${goQuote(this.tmplName)} at <${ctx}>: ${msg}`,
    );
  }
  private step(node: Span): void {
    if (++this.steps > MAX_STEPS) this.fail(node, `execution exceeds ${MAX_STEPS} steps`);
  }
  private charge(node: Span, v: Val): void {
    const size = typeof v === 'string' ? v.length : isList(v) ? v.items.length : isMap(v) ? v.m.size : 0;
    if ((this.work += size) > MAX_WORK) this.fail(node, 'execution exceeds the work limit');
  }
  private write(node: Span, s: string): void {
    if ((this.outLen += s.length) > MAX_OUTPUT) this.fail(node, 'output exceeds the 1 MiB limit');
    this.out.push(s);
  }

  private walkList(dot: Val, list: Node[]): Signal {
    for (const n of list) {
      const s = this.walk(dot, n);
      if (s) return s;
    }
    return null;
  }
  private walk(dot: Val, n: Node): Signal {
    if (n.k === 'text') {
      this.write({ pos: 0, end: 0 }, n.text);
      return null;
    }
    if (n.k === 'comment') return null;
    this.step(n);
    switch (n.k) {
      case 'action': {
        const v = this.evalPipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0) this.write(n, v === null ? '<no value>' : fmtV(v));
        return null;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        try {
          const v = this.evalPipeline(dot, n.pipe);
          if (truth(v)) return this.walkList(n.k === 'with' ? v : dot, n.list);
          return n.elseList ? this.walkList(dot, n.elseList) : null;
        } finally {
          this.vars.length = mark;
        }
      }
      case 'range':
        return this.walkRange(dot, n);
      case 'break':
      case 'continue':
        return n.k;
      case 'template': {
        const tree = this.trees.get(n.name);
        if (!tree) this.fail(n, `template ${goQuote(n.name)} not defined`);
        if (this.depth >= MAX_TEMPLATE_DEPTH) this.fail(n, `exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
        const newDot = n.pipe ? this.evalPipeline(dot, n.pipe) : null;
        const [vars, tmplName] = [this.vars, this.tmplName];
        [this.vars, this.tmplName] = [[{ name: '$', v: newDot }], n.name];
        this.depth++;
        try {
          this.walkList(newDot, tree);
        } finally {
          [this.vars, this.tmplName] = [vars, tmplName];
          this.depth--;
        }
        return null;
      }
    }
  }
  private walkRange(dot: Val, n: ControlNode): Signal {
    const mark0 = this.vars.length;
    try {
      const val = this.evalPipeline(dot, n.pipe);
      const mark = this.vars.length;
      const { decl, isAssign } = n.pipe;
      const one = (index: Val, elem: Val): Signal => {
        this.step(n);
        if (decl.length > 0) {
          if (isAssign) this.setVar(n, decl[0]!, decl.length > 1 ? index : elem);
          else this.vars[this.vars.length - 1]!.v = elem;
        }
        if (decl.length > 1) {
          if (isAssign) this.setVar(n, decl[1]!, elem);
          else this.vars[this.vars.length - 2]!.v = index;
        }
        try {
          return this.walkList(elem, n.list);
        } finally {
          this.vars.length = mark;
        }
      };
      let items: [Val, Val][] | null = null;
      if (isList(val)) items = val.items.map((v, i) => [int(i), v]);
      else if (isMap(val)) items = sortedKeys(val.m).map((k) => [k, val.m.get(k)!]);
      else if (isInt(val)) {
        if (decl.length > 1) this.fail(n, `can't use a ${typeName(val)} to iterate over more than one variable`);
        if (val.n > BigInt(MAX_STEPS)) this.fail(n, `execution exceeds ${MAX_STEPS} steps`);
        items = [];
        for (let i = 0n; i < val.n; i++) items.push([mkInt(val.k, i), mkInt(val.k, i)]);
      } else if (val !== null) this.fail(n, `range can't iterate over a value of type ${typeName(val)}`);
      if (items && items.length > 0) {
        for (const [i, v] of items) if (one(i, v) === 'break') break;
        return null;
      }
      return n.elseList ? this.walkList(dot, n.elseList) : null;
    } finally {
      this.vars.length = mark0;
    }
  }

  private varValue(node: Span, name: string): Val {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.v;
    this.fail(node, `undefined variable: ${name}`);
  }
  private setVar(node: Span, name: string, v: Val): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.v = v;
        return;
      }
    }
    this.fail(node, `undefined variable: ${name}`);
  }

  private evalPipeline(dot: Val, pipe: Pipe): Val {
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    const v = value === MISSING ? null : value;
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(pipe, name, v);
      else this.vars.push({ name, v });
    }
    return v;
  }
  private notAFunction(node: Span, args: Arg[], final: Final): void {
    if (args.length > 1 || final !== MISSING)
      this.fail(node, `can't give argument to non-function ${this.src.slice(args[0]!.pos, args[0]!.end)}`);
  }
  private evalCommand(dot: Val, cmd: Cmd, final: Final): Val {
    this.step(cmd);
    const first = cmd.args[0]!;
    switch (first.k) {
      case 'field':
        return this.evalFieldChain(dot, dot, first, first.idents, cmd.args, final);
      case 'chain':
        return this.evalFieldChain(dot, this.chainReceiver(dot, first), first, first.fields, cmd.args, final);
      case 'ident':
        return this.evalFunction(dot, first, cmd, cmd.args.slice(1), final);
      case 'variable':
        return this.evalVariable(dot, first, cmd.args, final);
      case 'pipe':
        this.notAFunction(first, cmd.args, final);
        return this.evalPipeline(dot, first.pipe);
    }
    this.notAFunction(first, cmd.args, final);
    switch (first.k) {
      case 'bool':
      case 'string':
        return first.v;
      case 'dot':
        return dot;
      case 'nil':
        this.fail(first, 'nil is not a command');
      // falls through (fail never returns)
      case 'number':
        return this.idealConstant(first);
    }
  }
  private idealConstant(n: Extract<Arg, { k: 'number' }>): Val {
    const isHexInt = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !isHexInt && n.text[0] !== "'" && /[.eEpP]/.test(n.text)) return float(n.float);
    if (n.isInt) return int(n.int);
    this.fail(n, `${n.text} overflows int`);
  }
  private chainReceiver(dot: Val, chain: Extract<Arg, { k: 'chain' }>): Val {
    if (chain.node.k === 'nil') this.fail(chain, `indirection through explicit nil in ${this.src.slice(chain.pos, chain.end)}`);
    return this.evalArg(dot, 'any', chain.node);
  }
  private evalVariable(dot: Val, node: VarArg, args: Arg[], final: Final): Val {
    const value = this.varValue(node, node.idents[0]!);
    if (node.idents.length === 1) {
      this.notAFunction(node, args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, node, node.idents.slice(1), args, final);
  }
  private evalFieldChain(dot: Val, receiver: Val, node: Span, idents: string[], args: Arg[], final: Final): Val {
    void dot;
    for (let i = 0; i < idents.length; i++) {
      const last = i === idents.length - 1;
      const name = idents[i]!;
      if (receiver === null) return null; // missingkey=default: a missing key yields no value
      if (!isMap(receiver)) this.fail(node, `can't evaluate field ${name} in type ${typeName(receiver)}`);
      if (last && (args.length > 1 || final !== MISSING)) this.fail(node, `${name} is not a method but has arguments`);
      const r = receiver.m.get(name);
      receiver = r === undefined ? null : r;
    }
    return receiver;
  }
  private evalFunction(dot: Val, ident: Extract<Arg, { k: 'ident' }>, cmd: Span, args: Arg[], final: Final): Val {
    const fn = FUNCS.get(ident.name)!;
    const name = ident.name;
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const nFixed = fn.p.length;
    if (fn.v !== undefined) {
      if (numIn < nFixed) this.fail(ident, `wrong number of args for ${name}: want at least ${nFixed} got ${args.length}`);
    } else if (numIn !== nFixed) this.fail(ident, `wrong number of args for ${name}: want ${nFixed} got ${numIn}`);
    if (name === 'and' || name === 'or') {
      // Short-circuit: the first false (and) or true (or) argument, else the last one.
      let v: Val = null;
      for (const a of args) {
        v = this.evalArg(dot, 'any', a);
        if (truth(v) === (name === 'or')) return v;
      }
      return final !== MISSING ? final : v;
    }
    const argv: Val[] = [];
    let i = 0;
    for (; i < nFixed && i < args.length; i++) argv.push(this.evalArg(dot, fn.p[i]!, args[i]!));
    if (fn.v !== undefined) for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.v, args[i]!));
    if (final !== MISSING) {
      const t = fn.v === undefined ? fn.p[nFixed - 1]! : numIn - 1 < nFixed ? fn.p[numIn - 1]! : fn.v;
      argv.push(this.validateType(cmd, final, t));
    }
    for (const a of argv) this.charge(cmd, a);
    let r: Val;
    try {
      r = fn.f(argv);
    } catch (e) {
      if (e instanceof TplError) throw e;
      // Never forward foreign messages (e.g. JSON.parse quotes its input).
      const why = e instanceof FuncError ? e.message : e instanceof RangeError ? 'values are nested too deeply' : 'internal error';
      this.fail(cmd, `error calling ${name}: ${why}`);
    }
    if (typeof r === 'string' && r.length > MAX_STRING) this.fail(cmd, `error calling ${name}: result exceeds the 1 MiB limit`);
    this.charge(cmd, r);
    return r;
  }
  private validateType(node: Span, v: Val, t: PT): Val {
    if (v === null) {
      if (t === 'any' || t === 'dict') return null;
      this.fail(node, `invalid value; expected ${PT_NAME[t]}`);
    }
    if (t === 'any' || typeName(v) === PT_NAME[t]) return v;
    this.fail(node, `wrong type for value; expected ${PT_NAME[t]}; got ${typeName(v)}`);
  }
  private evalArg(dot: Val, t: PT, n: Arg): Val {
    this.step(n);
    switch (n.k) {
      case 'dot':
        return this.validateType(n, dot, t);
      case 'nil':
        if (t === 'any' || t === 'dict') return null;
        this.fail(n, `cannot assign nil to ${PT_NAME[t]}`);
      // falls through (fail never returns)
      case 'field':
        return this.validateType(n, this.evalFieldChain(dot, dot, n, n.idents, [n], MISSING), t);
      case 'variable':
        return this.validateType(n, this.evalVariable(dot, n, [], MISSING), t);
      case 'pipe':
        return this.validateType(n, this.evalPipeline(dot, n.pipe), t);
      case 'ident':
        return this.validateType(n, this.evalFunction(dot, n, n, [], MISSING), t);
      case 'chain':
        return this.validateType(n, this.evalFieldChain(dot, this.chainReceiver(dot, n), n, n.fields, [], MISSING), t);
    }
    const found = this.src.slice(n.pos, n.end);
    switch (t) {
      case 'any':
        return n.k === 'number' ? this.idealConstant(n) : n.v;
      case 'bool':
        if (n.k === 'bool') return n.v;
        this.fail(n, `expected bool; found ${found}`);
      // falls through
      case 'string':
        if (n.k === 'string') return n.v;
        this.fail(n, `expected string; found ${found}`);
      // falls through
      case 'int':
      case 'int64':
        if (n.k === 'number' && n.isInt) return mkInt(t, n.int);
        this.fail(n, `expected integer; found ${found}`);
      // falls through
      case 'float64':
        if (n.k === 'number' && n.isFloat) return float(n.float);
        this.fail(n, `expected float; found ${found}`);
      // falls through
      case 'dict':
        this.fail(n, `can't handle ${found} for arg of type ${PT_NAME[t]}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Function helpers

const S = (a: Val[], i: number): string => a[i] as string;
const N = (a: Val[], i: number): number => Number((a[i] as GoInt).n);
const B = (a: Val[], i: number): boolean => a[i] as boolean;
const D = (a: Val[], i: number): GoMap | null => a[i] as GoMap | null;

/** sprig's strval: strings as is, anything else through fmt's %v. */
const strval = (v: Val): string => (typeof v === 'string' ? v : fmtV(v));
/** sprig's strslice. */
function strslice(v: Val): string[] {
  if (v === null) return [];
  if (isList(v)) return v.items.filter((x) => x !== null).map(strval);
  return [strval(v)];
}
/** spf13/cast ToInt64 as sprig uses it (errors become 0). */
function toInt64(v: Val): bigint {
  if (v === null) return 0n;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    let s = v;
    // cast's trimZeroDecimal: "12.00" -> "12"
    for (let i = s.length, zero = false; i > 0; i--) {
      const c = s[i - 1];
      if (c === '.' && zero) {
        s = s.slice(0, i - 1);
        break;
      }
      if (c === '0') zero = true;
      else if (c !== '.') break;
    }
    return parseGoInt(s) ?? 0n;
  }
  if (isInt(v)) return v.n;
  if (v.k === 'float64') return Number.isFinite(v.n) ? BigInt.asIntN(64, BigInt(Math.trunc(v.n))) : -(1n << 63n);
  return 0n;
}
function toFloat64(v: Val): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseGoFloat(v) ?? 0;
  if (isInt(v)) return Number(v.n);
  return v.k === 'float64' ? v.n : 0;
}
/** sprig's list functions first require a slice or array (and panic on nil). */
function asList(v: Val, what: string): GoList {
  if (v === null) throw ferr('runtime error: invalid memory address or nil pointer dereference');
  if (!isList(v)) throw ferr(`Cannot ${what} on type ${kindName(v)}`);
  return v;
}
function checkSize(n: number): void {
  if (n > MAX_STRING) throw ferr('result exceeds the 1 MiB limit');
}
function goSlice(s: string, lo: number, hi: number): string {
  if (lo < 0 || hi > s.length || lo > hi) throw ferr('runtime error: slice bounds out of range');
  return s.slice(lo, hi);
}
function goTrimSpace(s: string): string {
  const rs = runes(s);
  let a = 0;
  let b = rs.length;
  while (a < b && isSpaceRune(rs[a]![0])) a++;
  while (b > a && isSpaceRune(rs[b - 1]![0])) b--;
  if (a === b) return '';
  return s.slice(rs[a]![1], rs[b - 1]![1] + rs[b - 1]![2]);
}
function goTrim(s: string, cutset: string): string {
  const set = new Set(runes(cutset).map(([r]) => r));
  const rs = runes(s);
  let a = 0;
  let b = rs.length;
  while (a < b && set.has(rs[a]![0])) a++;
  while (b > a && set.has(rs[b - 1]![0])) b--;
  if (a === b) return '';
  return s.slice(rs[a]![1], rs[b - 1]![1] + rs[b - 1]![2]);
}
/** strings.Split / SplitN (n < 0: all). */
function goSplit(s: string, sep: string, n = -1): string[] {
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
  if (out.length > MAX_LIST) throw ferr(`list exceeds ${MAX_LIST} elements`);
  return out;
}
/** strings.ReplaceAll, with an empty old string matching around every rune. */
function goReplaceAll(s: string, old: string, repl: string): string {
  const parts = old === '' ? ['', ...runes(s).map(([, i, n]) => s.slice(i, i + n))] : null;
  if (parts) {
    checkSize(s.length + repl.length * parts.length);
    return parts.join(repl) + repl;
  }
  let count = 0;
  for (let i = s.indexOf(old); i >= 0; i = s.indexOf(old, i + old.length)) count++;
  checkSize(s.length + count * (repl.length - old.length));
  return s.split(old).join(repl);
}
function goTitle(s: string): string {
  let prev = 0x20;
  const sep = (r: number): boolean => {
    if (r < 0x80) return !(/[0-9A-Za-z_]/.test(String.fromCharCode(r)));
    if (isLetter(r) || isDigit(r)) return false;
    return isSpaceRune(r);
  };
  return mapRunes(s, (r) => {
    const up = sep(prev);
    prev = r;
    return up ? caseRune(r, true) : r;
  });
}

// Encodings and hashes (synchronous: Web Crypto's digest is async).

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function b64enc(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i += 3) {
    const [a, b, c] = [s.charCodeAt(i), s.charCodeAt(i + 1), s.charCodeAt(i + 2)];
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + (i + 1 < s.length ? B64[(n >> 6) & 63]! : '=') + (i + 2 < s.length ? B64[n & 63]! : '=');
  }
  return out;
}
/** encoding/base64 StdEncoding.DecodeString: newlines ignored, strict padding. Throws the Go error text. */
function b64dec(src: string): string {
  let out = '';
  let si = 0;
  const isNl = (c: string | undefined): boolean => c === '\n' || c === '\r';
  for (;;) {
    const q: number[] = [];
    let j = 0;
    while (j < 4) {
      if (si === src.length) {
        if (j === 0) return out;
        throw ferr(`illegal base64 data at input byte ${si - j}`);
      }
      const c = src[si++]!;
      if (isNl(c)) continue;
      if (c === '=') {
        if (j < 2) throw ferr(`illegal base64 data at input byte ${si - 1}`);
        if (j === 2) {
          while (si < src.length && isNl(src[si])) si++;
          if (si === src.length) throw ferr(`illegal base64 data at input byte ${src.length}`);
          if (src[si] !== '=') throw ferr(`illegal base64 data at input byte ${si - 1}`);
          si++;
        }
        while (si < src.length && isNl(src[si])) si++;
        if (si < src.length) throw ferr(`illegal base64 data at input byte ${si}`);
        break;
      }
      const d = B64.indexOf(c);
      if (d < 0) throw ferr(`illegal base64 data at input byte ${si - 1}`);
      q.push(d);
      j++;
    }
    const n = ((q[0] ?? 0) << 18) | ((q[1] ?? 0) << 12) | ((q[2] ?? 0) << 6) | (q[3] ?? 0);
    out += String.fromCharCode(n >> 16);
    if (q.length > 2) out += String.fromCharCode((n >> 8) & 255);
    if (q.length > 3) out += String.fromCharCode(n & 255);
    if (q.length < 4) return out;
  }
}
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function b32enc(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i += 5) {
    const chunk = s.slice(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk.charCodeAt(k) || 0);
    const chars = [0, 2, 4, 5, 7, 8][chunk.length]!;
    for (let k = 0; k < 8; k++) out += k < chars ? B32[Number((bits >> BigInt(35 - 5 * k)) & 31n)]! : '=';
  }
  return out;
}
function b32dec(src: string): string {
  const s = src.replace(/[\r\n]/g, '');
  if (s.length % 8 !== 0) throw ferr(`illegal base32 data at input byte ${s.length - (s.length % 8)}`);
  let out = '';
  for (let i = 0; i < s.length; i += 8) {
    const block = s.slice(i, i + 8);
    const data = block.replace(/=+$/, '');
    const bytes = { 8: 5, 7: 4, 5: 3, 4: 2, 2: 1 }[data.length];
    if (bytes === undefined || (data.length < 8 && i + 8 < s.length)) throw ferr(`illegal base32 data at input byte ${i + data.length}`);
    let bits = 0n;
    for (let k = 0; k < 8; k++) {
      const d = k < data.length ? B32.indexOf(data[k]!) : 0;
      if (d < 0) throw ferr(`illegal base32 data at input byte ${i + k}`);
      bits = (bits << 5n) | BigInt(d);
    }
    for (let k = 0; k < bytes; k++) out += String.fromCharCode(Number((bits >> BigInt(32 - 8 * k)) & 255n));
  }
  return out;
}
const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));
const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));
/** Merkle–Damgård padding for SHA-1/SHA-256, as big-endian 32-bit words. */
function mdWords(s: string): Uint32Array {
  const len = s.length;
  const total = (((len + 9 + 63) >> 6) << 6) >> 2;
  const w = new Uint32Array(total);
  for (let i = 0; i < len; i++) w[i >> 2]! |= s.charCodeAt(i) << (24 - 8 * (i & 3));
  w[len >> 2]! |= 0x80 << (24 - 8 * (len & 3));
  w[total - 1] = (len * 8) >>> 0;
  w[total - 2] = Math.floor(len / 0x20000000);
  return w;
}
const wordsHex = (h: number[]): string => h.map((x) => hex(x >>> 0, 8)).join('');
function sha1Hex(s: string): string {
  const m = mdWords(s);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Int32Array(80);
  for (let o = 0; o < m.length; o += 16) {
    for (let i = 0; i < 80; i++) w[i] = i < 16 ? m[o + i]! : rotl(w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!, 1);
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let i = 0; i < 80; i++) {
      const [f, k] =
        i < 20 ? [(b & c) | (~b & d), 0x5a827999] : i < 40 ? [b ^ c ^ d, 0x6ed9eba1] : i < 60 ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc] : [b ^ c ^ d, 0xca62c1d6];
      const t = (rotl(a, 5) + f + e + k + w[i]!) | 0;
      [e, d, c, b, a] = [d, c, rotl(b, 30), a, t];
    }
    [a, b, c, d, e].forEach((x, i) => (h[i] = (h[i]! + x) | 0));
  }
  return wordsHex(h);
}
const K256 = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];
function sha256Hex(s: string): string {
  const m = mdWords(s);
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const w = new Int32Array(64);
  for (let o = 0; o < m.length; o += 16) {
    for (let i = 0; i < 64; i++) {
      if (i < 16) w[i] = m[o + i]!;
      else {
        const [x, y] = [w[i - 15]!, w[i - 2]!];
        w[i] = (w[i - 16]! + (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + w[i - 7]! + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10))) | 0;
      }
    }
    let [a, b, c, d, e, f, g, hh] = h as [number, number, number, number, number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i]! + w[i]!) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      [hh, g, f, e, d, c, b, a] = [g, f, e, (d + t1) | 0, c, b, a, (t1 + t2) | 0];
    }
    [a, b, c, d, e, f, g, hh].forEach((x, i) => (h[i] = (h[i]! + x) | 0));
  }
  return wordsHex(h);
}
function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    a = (a + s.charCodeAt(i)) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

// JSON (encoding/json): sorted map keys, HTML-safe escaping unless raw.

function jsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const [r, i, n] of runes(s)) {
    if (r < 0x80) {
      const c = String.fromCharCode(r);
      if (c === '"' || c === '\\') out += '\\' + c;
      else if (r >= 0x20 && !(escapeHTML && (c === '<' || c === '>' || c === '&'))) out += c;
      else out += { 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t' }[r] ?? '\\u' + hex(r, 4);
    } else if (n === 1 && r === 0xfffd) out += '\\ufffd';
    else if (r === 0x2028 || r === 0x2029) out += '\\u' + hex(r, 4);
    else out += s.slice(i, i + n);
  }
  return out + '"';
}
function jsonEncode(v: Val, escapeHTML: boolean, indent: string | null, cur = ''): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return jsonString(v, escapeHTML);
  if (typeof v === 'boolean') return String(v);
  const inner = indent === null ? '' : cur + indent;
  const [open, sep, close] = indent === null ? ['', ',', ''] : ['\n' + inner, ',\n' + inner, '\n' + cur];
  switch (v.k) {
    case 'float64':
      if (!Number.isFinite(v.n)) throw ferr(`json: unsupported value: ${formatFloat(v.n, 'g', -1)}`);
      return Object.is(v.n, -0) ? '-0' : String(v.n);
    case 'list':
      if (v.items.length === 0) return '[]';
      return '[' + open + v.items.map((x) => jsonEncode(x, escapeHTML, indent, inner)).join(sep) + close + ']';
    case 'map': {
      if (v.m.size === 0) return '{}';
      const colon = indent === null ? ':' : ': ';
      const kv = sortedKeys(v.m).map((k) => jsonString(k, escapeHTML) + colon + jsonEncode(v.m.get(k)!, escapeHTML, indent, inner));
      return '{' + open + kv.join(sep) + close + '}';
    }
    default:
      return v.n.toString();
  }
}
function fromJsValue(x: unknown): Val {
  if (x === null || x === undefined) return null;
  if (typeof x === 'string') return goStr(x);
  if (typeof x === 'number') return float(x);
  if (typeof x === 'boolean') return x;
  if (Array.isArray(x)) return list(x.map(fromJsValue));
  const m = new Map<string, Val>();
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) m.set(goStr(k), fromJsValue(v));
  return dictOf(m);
}
function mustFromJson(s: string): Val {
  try {
    return fromJsValue(JSON.parse(jsStr(s)));
  } catch {
    throw ferr('invalid JSON'); // JSON.parse messages quote the input
  }
}

// Regular expressions: Go's RE2 syntax, parsed here and run by a Pike VM over the bytes, so matching
// takes linear time as in Go (a backtracking JS RegExp could be made to hang) and counts against a budget.

class BadRegex extends FuncError {}
type RAssert = 'bot' | 'eot' | 'bol' | 'eol' | 'wb' | 'nwb';
type RNode =
  | { t: 'char'; test: (r: number) => boolean }
  | { t: 'assert'; a: RAssert }
  | { t: 'cat' | 'alt'; subs: RNode[] }
  | { t: 'cap'; n: number; sub: RNode }
  | { t: 'rep'; min: number; max: number; greedy: boolean; sub: RNode };
type Ranges = [number, number][];
const inRanges = (rs: Ranges, r: number): boolean => rs.some(([a, b]) => r >= a && r <= b);
const R_DIGIT: Ranges = [[48, 57]];
const R_SPACE: Ranges = [[9, 10], [12, 13], [32, 32]];
const R_WORD: Ranges = [[48, 57], [65, 90], [95, 95], [97, 122]];
const R_POSIX: Record<string, Ranges> = {
  alnum: [[48, 57], [65, 90], [97, 122]],
  alpha: [[65, 90], [97, 122]],
  ascii: [[0, 127]],
  blank: [[9, 9], [32, 32]],
  cntrl: [[0, 31], [127, 127]],
  digit: R_DIGIT,
  graph: [[33, 126]],
  lower: [[97, 122]],
  print: [[32, 126]],
  punct: [[33, 47], [58, 64], [91, 96], [123, 126]],
  space: [[9, 13], [32, 32]],
  upper: [[65, 90]],
  word: R_WORD,
  xdigit: [[48, 57], [65, 70], [97, 102]],
};
const unicodeClasses = new Map<string, RegExp>();
function unicodeClass(name: string): (r: number) => boolean {
  if (name === 'Any') return () => true;
  let re = unicodeClasses.get(name);
  if (!re) {
    if (!/^[A-Za-z_]+$/.test(name)) throw new BadRegex('invalid character class range');
    try {
      re = new RegExp(`^\\p{${/^[A-Z][a-z]?$/.test(name) ? name : `Script=${name}`}}$`, 'u');
    } catch {
      throw new BadRegex('invalid character class range');
    }
    unicodeClasses.set(name, re);
  }
  const r0 = re;
  return (r) => validRune(r) && r0.test(String.fromCodePoint(r));
}
const MAX_REGEX_INSTS = 20_000;
const MAX_REGEX_STEPS = 20_000_000;
let regexSteps = 0; // reset for each render

/** Parser for Go's regexp/syntax (Perl flags): literals, classes, escapes, groups, flags, repetition. */
class RegexParser {
  private i = 0;
  private depth = 0;
  private flags = { i: false, m: false, s: false, U: false };
  readonly names: string[] = [''];
  constructor(private readonly rs: number[]) {}
  private peek(o = 0): number {
    return this.rs[this.i + o] ?? -1;
  }
  parse(): RNode {
    const n = this.alt();
    if (this.i < this.rs.length) throw new BadRegex('unexpected )');
    return n;
  }
  private alt(): RNode {
    const subs = [this.concat()];
    while (this.peek() === 0x7c) {
      this.i++;
      subs.push(this.concat());
    }
    return subs.length === 1 ? subs[0]! : { t: 'alt', subs };
  }
  private concat(): RNode {
    const subs: RNode[] = [];
    for (let c = this.peek(); c !== -1 && c !== 0x7c && c !== 0x29; c = this.peek()) {
      const atom = this.atom();
      if (atom) subs.push(this.quantifiers(atom));
    }
    return { t: 'cat', subs };
  }
  /** {n}, {n,} or {n,m} at the cursor: [min, max (-1: none), length] or null if it is a literal '{'. */
  private repeatAhead(): [number, number, number] | null {
    const text = String.fromCodePoint(...this.rs.slice(this.i, this.i + 16));
    const m = /^\{(\d+)(,(\d*))?\}/.exec(text);
    if (!m) return null;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
    if (min > 1000 || max > 1000 || (max >= 0 && max < min)) throw new BadRegex('invalid repeat count');
    return [min, max, m[0].length];
  }
  private quantifiers(atom: RNode): RNode {
    let node = atom;
    for (let seen = false; ; seen = true) {
      const c = this.peek();
      let rep: [number, number, number] | null = null;
      if (c === 0x2a) rep = [0, -1, 1];
      else if (c === 0x2b) rep = [1, -1, 1];
      else if (c === 0x3f) rep = [0, 1, 1];
      else if (c === 0x7b) rep = this.repeatAhead();
      if (!rep) return node;
      if (seen) throw new BadRegex('invalid nested repetition operator');
      this.i += rep[2];
      let greedy = true;
      if (this.peek() === 0x3f) [this.i, greedy] = [this.i + 1, false];
      node = { t: 'rep', min: rep[0], max: rep[1], greedy: this.flags.U ? !greedy : greedy, sub: node };
    }
  }
  private lit(r: number): RNode {
    if (!this.flags.i) return { t: 'char', test: (x) => x === r };
    const [lo, up] = [caseRune(r, false), caseRune(r, true)];
    return { t: 'char', test: (x) => x === r || caseRune(x, false) === lo || caseRune(x, true) === up };
  }
  private pred(ranges: Ranges, extra: ((r: number) => boolean)[], neg: boolean): RNode {
    const fold = this.flags.i;
    const has = (x: number): boolean => inRanges(ranges, x) || extra.some((f) => f(x));
    return { t: 'char', test: (r) => (has(r) || (fold && (has(caseRune(r, false)) || has(caseRune(r, true))))) !== neg };
  }
  private atom(): RNode | null {
    const c = this.peek();
    switch (c) {
      case 0x28:
        return this.group();
      case 0x5b:
        return this.cls();
      case 0x2e: {
        this.i++;
        const nl = this.flags.s;
        return { t: 'char', test: (r) => nl || r !== 10 };
      }
      case 0x5e:
        this.i++;
        return { t: 'assert', a: this.flags.m ? 'bol' : 'bot' };
      case 0x24:
        this.i++;
        return { t: 'assert', a: this.flags.m ? 'eol' : 'eot' };
      case 0x5c: {
        const e = this.escape(false);
        return typeof e === 'number' ? this.lit(e) : 't' in e ? e : this.pred([], [e.test], false);
      }
      case 0x2a:
      case 0x2b:
      case 0x3f:
        throw new BadRegex('missing argument to repetition operator');
      case 0x7b:
        if (this.repeatAhead()) throw new BadRegex('missing argument to repetition operator');
    }
    this.i++;
    return this.lit(c);
  }
  private group(): RNode | null {
    this.i++;
    if (++this.depth > 1000) throw new BadRegex('expression nests too deeply');
    const saved = { ...this.flags };
    let cap = -1;
    if (this.peek() === 0x3f) {
      this.i++;
      const named = this.peek() === 0x50 && this.peek(1) === 0x3c ? 2 : this.peek() === 0x3c ? 1 : 0;
      if (named) {
        this.i += named;
        const end = this.rs.indexOf(0x3e, this.i);
        const name = end < 0 ? '' : String.fromCodePoint(...this.rs.slice(this.i, end));
        if (!/^[\p{L}\p{Nd}_]+$/u.test(name)) throw new BadRegex('invalid named capture');
        if (this.names.includes(name)) throw new BadRegex('duplicate capture group name');
        this.i = end + 1;
        cap = this.names.length;
        this.names.push(name);
      } else {
        let neg = false;
        for (;;) {
          const f = String.fromCharCode(this.peek());
          this.i++;
          if (f === 'i' || f === 'm' || f === 's' || f === 'U') this.flags[f] = !neg;
          else if (f === '-' && !neg) neg = true;
          else if (f === ')') {
            this.depth--;
            return null; // (?flags): applies to the rest of the enclosing group
          } else if (f === ':') break;
          else throw new BadRegex('invalid or unsupported Perl syntax');
        }
      }
    } else {
      cap = this.names.length;
      this.names.push('');
    }
    const sub = this.alt();
    if (this.peek() !== 0x29) throw new BadRegex('missing closing )');
    this.i++;
    this.flags = saved;
    this.depth--;
    return cap < 0 ? sub : { t: 'cap', n: cap, sub };
  }
  /** After a backslash: a rune, a class predicate, or (outside classes) an assertion or \Q...\E. */
  private escape(inClass: boolean): number | { test: (r: number) => boolean } | RNode {
    this.i++;
    const c = this.peek();
    if (c === -1) throw new BadRegex('trailing backslash at end of expression');
    this.i++;
    const ch = String.fromCodePoint(c);
    const bad = (): never => {
      throw new BadRegex('invalid escape sequence');
    };
    if (ch >= '1' && ch <= '7' && !(this.peek() >= 0x30 && this.peek() <= 0x37)) bad(); // backreference
    if (ch >= '0' && ch <= '7') {
      let v = c - 0x30;
      for (let k = 0; k < 2 && this.peek() >= 0x30 && this.peek() <= 0x37; k++) v = v * 8 + (this.rs[this.i++]! - 0x30);
      return v;
    }
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (ch in simple) return simple[ch]!;
    if (ch === 'x') {
      let h = '';
      const braced = this.peek() === 0x7b;
      if (braced) {
        const end = this.rs.indexOf(0x7d, this.i);
        if (end < 0) bad();
        h = String.fromCodePoint(...this.rs.slice(this.i + 1, end));
        this.i = end + 1;
      } else {
        h = String.fromCodePoint(...this.rs.slice(this.i, this.i + 2));
        this.i += 2;
      }
      if (!(braced ? /^[0-9a-fA-F]{1,8}$/ : /^[0-9a-fA-F]{2}$/).test(h) || parseInt(h, 16) > 0x10ffff) bad();
      return parseInt(h, 16);
    }
    const perl: Record<string, Ranges> = { d: R_DIGIT, s: R_SPACE, w: R_WORD };
    if (ch.toLowerCase() in perl) {
      const rs = perl[ch.toLowerCase()]!;
      const neg = ch !== ch.toLowerCase();
      return { test: (r) => inRanges(rs, r) !== neg };
    }
    if (ch === 'p' || ch === 'P') {
      let name: string;
      if (this.peek() === 0x7b) {
        const end = this.rs.indexOf(0x7d, this.i);
        if (end < 0) throw new BadRegex('invalid character class range');
        name = String.fromCodePoint(...this.rs.slice(this.i + 1, end));
        this.i = end + 1;
      } else name = this.peek() === -1 ? '' : String.fromCodePoint(this.rs[this.i++]!);
      let neg = ch === 'P';
      if (name.startsWith('^')) [neg, name] = [!neg, name.slice(1)];
      const f = unicodeClass(name);
      return { test: (r) => f(r) !== neg };
    }
    if (!inClass) {
      const asserts: Record<string, RAssert> = { A: 'bot', z: 'eot', b: 'wb', B: 'nwb' };
      if (ch in asserts) return { t: 'assert', a: asserts[ch]! };
      if (ch === 'Q') {
        const subs: RNode[] = [];
        while (this.i < this.rs.length && !(this.peek() === 0x5c && this.peek(1) === 0x45)) subs.push(this.lit(this.rs[this.i++]!));
        if (this.i < this.rs.length) this.i += 2;
        return { t: 'cat', subs };
      }
    }
    if (c < 0x80 && !/[0-9A-Za-z]/.test(ch)) return c; // escaped punctuation is itself
    return bad();
  }
  private cls(): RNode {
    this.i++;
    let neg = false;
    if (this.peek() === 0x5e) [this.i, neg] = [this.i + 1, true];
    const ranges: Ranges = [];
    const extra: ((r: number) => boolean)[] = [];
    for (let first = true; first || this.peek() !== 0x5d; first = false) {
      if (this.peek() === -1) throw new BadRegex('missing closing ]');
      if (this.peek() === 0x5b && this.peek(1) === 0x3a) {
        const end = this.rs.findIndex((r, k) => k > this.i + 1 && r === 0x3a && this.rs[k + 1] === 0x5d);
        let name = end < 0 ? '' : String.fromCodePoint(...this.rs.slice(this.i + 2, end));
        const pneg = name.startsWith('^');
        if (pneg) name = name.slice(1);
        const rs = R_POSIX[name];
        if (!rs) throw new BadRegex('invalid character class range');
        extra.push((r) => inRanges(rs, r) !== pneg);
        this.i = end + 2;
        continue;
      }
      const item = (): number => {
        if (this.peek() !== 0x5c) return this.rs[this.i++]!;
        const e = this.escape(true);
        if (typeof e !== 'number') {
          if ('t' in e) throw new BadRegex('invalid escape sequence');
          extra.push(e.test);
          return -1;
        }
        return e;
      };
      const lo = item();
      if (lo < 0) continue;
      if (this.peek() === 0x2d && this.peek(1) !== 0x5d && this.peek(1) !== -1) {
        this.i++;
        const hi = item();
        if (hi < lo) throw new BadRegex('invalid character class range');
        ranges.push([lo, hi]);
      } else ranges.push([lo, lo]);
    }
    this.i++;
    return this.pred(ranges, extra, neg);
  }
}

type Inst =
  | { op: 'char'; test: (r: number) => boolean }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'save'; n: number }
  | { op: 'assert'; a: RAssert }
  | { op: 'match' };
interface Prog {
  insts: Inst[];
  ncap: number;
  names: string[];
}
function compileNode(node: RNode, prog: Inst[]): void {
  if (prog.length > MAX_REGEX_INSTS) throw new BadRegex('expression too large');
  const emit = (inst: Inst): number => prog.push(inst) - 1;
  switch (node.t) {
    case 'char':
      emit({ op: 'char', test: node.test });
      return;
    case 'assert':
      emit({ op: 'assert', a: node.a });
      return;
    case 'cat':
      node.subs.forEach((s) => compileNode(s, prog));
      return;
    case 'cap':
      emit({ op: 'save', n: 2 * node.n });
      compileNode(node.sub, prog);
      emit({ op: 'save', n: 2 * node.n + 1 });
      return;
    case 'alt': {
      const jumps: number[] = [];
      node.subs.forEach((s, k) => {
        if (k === node.subs.length - 1) return compileNode(s, prog);
        const split = emit({ op: 'split', x: prog.length + 1, y: 0 });
        compileNode(s, prog);
        jumps.push(emit({ op: 'jmp', x: 0 }));
        (prog[split] as { y: number }).y = prog.length;
      });
      for (const j of jumps) (prog[j] as { x: number }).x = prog.length;
      return;
    }
    case 'rep': {
      for (let k = 0; k < node.min; k++) compileNode(node.sub, prog);
      const split = (): number => emit({ op: 'split', x: 0, y: 0 });
      const aim = (at: number, body: number, out: number): void => {
        const s = prog[at] as { x: number; y: number };
        [s.x, s.y] = node.greedy ? [body, out] : [out, body];
      };
      if (node.max < 0) {
        const loop = split();
        compileNode(node.sub, prog);
        emit({ op: 'jmp', x: loop });
        aim(loop, loop + 1, prog.length);
      } else {
        const splits: number[] = [];
        for (let k = node.min; k < node.max; k++) {
          splits.push(split());
          compileNode(node.sub, prog);
        }
        for (const s of splits) aim(s, s + 1, prog.length);
      }
    }
  }
}
const regexCache = new Map<string, Prog>();
function compileRegex(pat: string): Prog {
  let prog = regexCache.get(pat);
  if (prog) return prog;
  const rs = runes(pat);
  if (rs.some(([r, , n]) => r === 0xfffd && n === 1)) throw new BadRegex('invalid UTF-8');
  const parser = new RegexParser(rs.map(([r]) => r));
  const insts: Inst[] = [{ op: 'save', n: 0 }];
  compileNode(parser.parse(), insts);
  insts.push({ op: 'save', n: 1 }, { op: 'match' });
  prog = { insts, ncap: parser.names.length, names: parser.names };
  if (regexCache.size > 100) regexCache.clear();
  regexCache.set(pat, prog);
  return prog;
}
const isWordByte = (s: string, i: number): boolean => i >= 0 && i < s.length && /\w/.test(s[i]!);
/** Leftmost-first match starting the search at byte pos: capture positions (-1: unset) or null. */
function pikeExec(prog: Prog, s: string, start: number): number[] | null {
  const { insts } = prog;
  const mark = new Int32Array(insts.length).fill(-1);
  let gen = 0;
  type Thread = { pc: number; caps: number[] };
  const add = (list: Thread[], pc0: number, caps0: number[], pos: number): void => {
    const stack: Thread[] = [{ pc: pc0, caps: caps0 }];
    while (stack.length > 0) {
      const { pc, caps } = stack.pop()!;
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      if (++regexSteps > MAX_REGEX_STEPS) throw ferr('regular expression work limit exceeded');
      const inst = insts[pc]!;
      switch (inst.op) {
        case 'jmp':
          stack.push({ pc: inst.x, caps });
          break;
        case 'split':
          stack.push({ pc: inst.y, caps }, { pc: inst.x, caps });
          break;
        case 'save': {
          const c = caps.slice();
          c[inst.n] = pos;
          stack.push({ pc: pc + 1, caps: c });
          break;
        }
        case 'assert': {
          const ok = {
            bot: pos === 0,
            eot: pos === s.length,
            bol: pos === 0 || s[pos - 1] === '\n',
            eol: pos === s.length || s[pos] === '\n',
            wb: isWordByte(s, pos - 1) !== isWordByte(s, pos),
            nwb: isWordByte(s, pos - 1) === isWordByte(s, pos),
          }[inst.a];
          if (ok) stack.push({ pc: pc + 1, caps });
          break;
        }
        default:
          list.push({ pc, caps });
      }
    }
  };
  const empty = new Array<number>(prog.ncap * 2).fill(-1);
  let matched: number[] | null = null;
  let clist: Thread[] = [];
  gen++;
  for (let pos = start; ; ) {
    if (matched === null) add(clist, 0, empty, pos);
    if (clist.length === 0) break;
    const [r, w] = pos < s.length ? decodeRune(s, pos) : [-1, 0];
    gen++;
    const nlist: Thread[] = [];
    for (const th of clist) {
      const inst = insts[th.pc]!;
      if (inst.op === 'match') {
        matched = th.caps;
        break; // lower-priority threads lose (leftmost-first)
      }
      if (r >= 0 && (inst as { test: (r: number) => boolean }).test(r)) add(nlist, th.pc + 1, th.caps, pos + w);
    }
    if (pos >= s.length) break;
    pos += w;
    clist = nlist;
  }
  return matched;
}
/** Regexp.FindAll*Index: successive non-overlapping matches; an empty match right after a match is skipped. */
function findAll(prog: Prog, s: string, n: number): number[][] {
  const out: number[][] = [];
  if (n < 0) n = s.length + 1;
  for (let pos = 0, prevEnd = -1; out.length < n && pos <= s.length; ) {
    const m = pikeExec(prog, s, pos);
    if (!m) break;
    let accept = true;
    if (m[1] === pos) {
      if (m[0] === prevEnd) accept = false;
      pos += pos < s.length ? decodeRune(s, pos)[1] : 1;
    } else pos = m[1]!;
    prevEnd = m[1]!;
    if (accept) out.push(m);
  }
  return out;
}
/** Regexp.Expand for ReplaceAllString: $1, ${1}, $name, ${name} and $$. */
function expand(template: string, s: string, m: number[], names: string[]): string {
  let out = '';
  for (let i = 0; i < template.length; ) {
    const d = template.indexOf('$', i);
    if (d < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const brace = template[i] === '{';
    let j = brace ? i + 1 : i;
    while (j < template.length) {
      const [r, w] = decodeRune(template, j);
      if (!(r === 0x5f || isLetter(r) || isDigit(r))) break;
      j += w;
    }
    const name = template.slice(brace ? i + 1 : i, j);
    if (name === '' || (brace && template[j] !== '}')) {
      out += '$';
      continue;
    }
    i = brace ? j + 1 : j;
    const num = /^\d+$/.test(name) && !(name.length > 1 && name[0] === '0') && name.length < 9 ? Number(name) : -1;
    const g = num >= 0 ? num : names.indexOf(name);
    if (g >= 0 && 2 * g + 1 < m.length && m[2 * g]! >= 0) out += s.slice(m[2 * g], m[2 * g + 1]);
  }
  return out;
}
/** Regexp.ReplaceAllString / ReplaceAllLiteralString. */
function regexReplace(pat: string, s: string, repl: string, literal: boolean): string {
  const prog = compileRegex(pat);
  let out = '';
  let lastEnd = 0;
  for (let searchPos = 0; searchPos <= s.length; ) {
    const m = pikeExec(prog, s, searchPos);
    if (!m) break;
    const [a0, a1] = [m[0]!, m[1]!];
    out += s.slice(lastEnd, a0);
    if (a1 > lastEnd || a0 === 0) out += literal ? repl : expand(repl, s, m, prog.names);
    checkSize(out.length);
    lastEnd = a1;
    const width = searchPos < s.length ? decodeRune(s, searchPos)[1] : 0;
    if (searchPos + width > a1) searchPos += width;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  return out + s.slice(lastEnd);
}
/** Regexp.Split. */
function regexSplit(pat: string, s: string, n: number): GoList {
  if (n === 0) return list([], 'string');
  const prog = compileRegex(pat);
  if (pat.length > 0 && s.length === 0) return list([''], 'string');
  const parts: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of findAll(prog, s, n)) {
    if (n > 0 && parts.length === n - 1) break;
    end = m[0]!;
    if (m[1] !== 0) parts.push(s.slice(beg, end));
    beg = m[1]!;
  }
  if (end !== s.length) parts.push(s.slice(beg));
  return list(parts, 'string');
}
/** A regexp function: compile errors fail the call (sprig's must* variants and MustCompile panics). */
function withRegex<T>(f: () => T, onInvalid?: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof BadRegex) {
      if (onInvalid) return onInvalid();
      throw ferr('invalid regular expression: ' + e.message);
    }
    throw e;
  }
}

// Randomness (sealed-secrets uses sprig's full map, so these are available there).
function randomString(count: number, alphabet: string): string {
  if (count < 0) throw ferr('count must be non-negative');
  checkSize(count);
  const buf = new Uint32Array(count);
  crypto.getRandomValues(buf);
  return [...buf].map((x) => alphabet[x % alphabet.length]!).join('');
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Paths (package path; filepath is the same on Linux).
function pathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p[0] === '/';
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(seg);
  }
  const r = (rooted ? '/' : '') + out.join('/');
  return r === '' ? '.' : r;
}
function pathBase(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  return p === '' ? '/' : p.slice(p.lastIndexOf('/') + 1);
}
const pathDir = (p: string): string => pathClean(p.slice(0, p.lastIndexOf('/') + 1));
function pathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

// ---------------------------------------------------------------------------------------------------
// The function map: Go's builtins plus sprig's generic map (minus env, expandenv, getHostByName).

const FUNCS = new Map<string, FnDef>();
function def(names: string | string[], p: PT[], f: (a: Val[]) => Val, v?: PT): void {
  for (const name of typeof names === 'string' ? [names] : names) FUNCS.set(name, v === undefined ? { p, f } : { p, v, f });
}
/** In sprig's map, but not implemented here: a parse error says so instead of "not defined". */
const UNSUPPORTED = new Set([
  'ago', 'date', 'date_in_zone', 'date_modify', 'dateInZone', 'dateModify', 'duration', 'durationRound', 'htmlDate',
  'htmlDateInZone', 'must_date_modify', 'mustDateModify', 'mustToDate', 'now', 'toDate', 'unixEpoch',
  'abbrevboth', 'initials', 'untitle', 'swapcase', 'shuffle', 'snakecase', 'camelcase', 'kebabcase', 'wrap', 'wrapWith',
  'randSeededNumeric', 'add1f', 'addf', 'subf', 'divf', 'mulf', 'merge', 'mergeOverwrite', 'mustMerge', 'mustMergeOverwrite',
  'bcrypt', 'htpasswd', 'genPrivateKey', 'derivePassword', 'buildCustomCert', 'genCA', 'genCAWithKey', 'genSelfSignedCert',
  'genSelfSignedCertWithKey', 'genSignedCert', 'genSignedCertWithKey', 'encryptAES', 'decryptAES', 'semver', 'semverCompare',
  'urlParse', 'urlJoin',
]);

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
def('index', ['any'], (a) => {
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
}, 'any');
def('print', [], sprint, 'any');
def('println', [], sprintln, 'any');
def('printf', ['string'], (a) => sprintf(S(a, 0), a.slice(1)), 'any');
/** text/template's evalArgs: a lone string as is, else Sprint with nil shown as <no value>. */
const evalArgs = (a: Val[]): string =>
  a.length === 1 && typeof a[0] === 'string' ? a[0] : sprint(a.map((x) => (x === null ? '<no value>' : x)));
def('html', [], (a) =>
  evalArgs(a).replace(/[\0"'&<>]/g, (c) => ({ '\0': '\xef\xbf\xbd', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!),
'any');
def('js', [], (a) => {
  const s = evalArgs(a);
  let out = '';
  for (const [r, i, n] of runes(s)) {
    if (r >= 0x80) out += n === 1 || isPrint(r) ? s.slice(i, i + n) : '\\u' + r.toString(16).toUpperCase().padStart(4, '0');
    else {
      const c = String.fromCharCode(r);
      const esc: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' };
      out += esc[c] ?? (r < 0x20 ? '\\u00' + hex(r, 2).toUpperCase() : c);
    }
  }
  return out;
}, 'any');
def('urlquery', [], (a) =>
  [...evalArgs(a)].map((c) => (/[A-Za-z0-9\-_.~]/.test(c) ? c : c === ' ' ? '+' : '%' + hex(c.charCodeAt(0), 2).toUpperCase())).join(''),
'any');
def('call', ['any'], ([fn]) => {
  throw ferr(fn === null || fn === undefined ? 'call of nil' : `non-function of type ${typeName(fn)}`);
}, 'any');

type BK = 'bool' | 'int' | 'uint' | 'float' | 'string' | null;
function basicKind(v: Val): BK {
  if (v === null) return null;
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v.k === 'int' || v.k === 'int64') return 'int';
  if (v.k === 'uint8') return 'uint';
  return v.k === 'float64' ? 'float' : null;
}
const basicEqual = (a: Val, b: Val): boolean => (isObj(a) && isObj(b) ? (a as GoInt).n === (b as GoInt).n : a === b);
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
function lt(a: Val, b: Val): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (!k1 || !k2) throw ferr('invalid type for comparison');
  if (k1 !== k2 && !((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')))
    throw ferr(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
  if (k1 === 'bool') throw ferr('invalid type for comparison');
  return (isObj(a) ? (a as GoInt).n : (a as string)) < (isObj(b) ? (b as GoInt).n : (b as string));
}
def('eq', ['any'], (a) => eq(a[0]!, a.slice(1)), 'any');
def('ne', ['any', 'any'], (a) => !eq(a[0]!, [a[1]!]));
def('lt', ['any', 'any'], (a) => lt(a[0]!, a[1]!));
def('le', ['any', 'any'], (a) => lt(a[0]!, a[1]!) || eq(a[0]!, [a[1]!]));
def('gt', ['any', 'any'], (a) => !(lt(a[0]!, a[1]!) || eq(a[0]!, [a[1]!])));
def('ge', ['any', 'any'], (a) => !lt(a[0]!, a[1]!));

// sprig: strings
def('hello', [], () => 'Hello!');
def('trunc', ['int', 'string'], (a) => {
  const [c, s] = [N(a, 0), S(a, 1)];
  if (c < 0 && s.length + c > 0) return s.slice(s.length + c);
  return c >= 0 && s.length > c ? s.slice(0, c) : s;
});
def('abbrev', ['int', 'string'], (a) => {
  const [w, s] = [N(a, 0), S(a, 1)];
  return w < 4 || s.length <= w ? s : s.slice(0, w - 3) + '...';
});
def('trim', ['string'], (a) => goTrimSpace(S(a, 0)));
def('upper', ['string'], (a) => mapRunes(S(a, 0), (r) => caseRune(r, true)));
def('lower', ['string'], (a) => mapRunes(S(a, 0), (r) => caseRune(r, false)));
def('title', ['string'], (a) => goTitle(S(a, 0)));
def('substr', ['int', 'int', 'string'], (a) => {
  const [start, end, s] = [N(a, 0), N(a, 1), S(a, 2)];
  if (start < 0) return goSlice(s, 0, end);
  if (end < 0 || end > s.length) return goSlice(s, start, s.length);
  return goSlice(s, start, end);
});
def('repeat', ['int', 'string'], (a) => {
  const [n, s] = [N(a, 0), S(a, 1)];
  if (n < 0) throw ferr('strings: negative Repeat count');
  checkSize(s.length * n);
  return s.repeat(n);
});
def(['trimall', 'trimAll'], ['string', 'string'], (a) => goTrim(S(a, 1), S(a, 0)));
def('trimSuffix', ['string', 'string'], ([suf, s]) => ((s as string).endsWith(suf as string) ? (s as string).slice(0, (s as string).length - (suf as string).length) : (s as string)));
def('trimPrefix', ['string', 'string'], ([pre, s]) => ((s as string).startsWith(pre as string) ? (s as string).slice((pre as string).length) : (s as string)));
def('nospace', ['string'], (a) => {
  // goutils.DeleteWhiteSpace walks bytes as if they were runes (so it re-encodes bytes >= 0x80).
  const s = S(a, 0);
  let out = '';
  let kept = 0;
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i);
    if (!isSpaceRune(b)) [out, kept] = [out + encodeRune(b), kept + 1];
  }
  return kept === s.length ? s : out;
});
def('contains', ['string', 'string'], (a) => S(a, 1).includes(S(a, 0)));
def('hasPrefix', ['string', 'string'], (a) => S(a, 1).startsWith(S(a, 0)));
def('hasSuffix', ['string', 'string'], (a) => S(a, 1).endsWith(S(a, 0)));
def('quote', [], (a) => a.filter((x) => x !== null).map((x) => goQuote(strval(x))).join(' '), 'any');
def('squote', [], (a) => a.filter((x) => x !== null).map((x) => `'${fmtV(x)}'`).join(' '), 'any');
def('cat', [], (a) => a.filter((x) => x !== null).map(fmtV).join(' '), 'any');
function indent(n: number, s: string): string {
  if (n < 0) throw ferr('strings: negative Repeat count');
  checkSize(n * (s.split('\n').length + 1) + s.length);
  const pad = ' '.repeat(n);
  return pad + s.replaceAll('\n', '\n' + pad);
}
def('indent', ['int', 'string'], (a) => indent(N(a, 0), S(a, 1)));
def('nindent', ['int', 'string'], (a) => '\n' + indent(N(a, 0), S(a, 1)));
def('replace', ['string', 'string', 'string'], (a) => goReplaceAll(S(a, 2), S(a, 0), S(a, 1)));
def('plural', ['string', 'string', 'int'], (a) => (N(a, 2) === 1 ? S(a, 0) : S(a, 1)));
def('sha1sum', ['string'], (a) => sha1Hex(S(a, 0)));
def('sha256sum', ['string'], (a) => sha256Hex(S(a, 0)));
def('adler32sum', ['string'], (a) => String(adler32(S(a, 0))));
def('toString', ['any'], (a) => strval(a[0]!));
def('atoi', ['string'], (a) => int(/^[+-]?\d+$/.test(S(a, 0)) ? (parseGoInt(S(a, 0)) ?? 0n) : 0n));
def('int64', ['any'], (a) => int64(toInt64(a[0]!)));
def('int', ['any'], (a) => int(toInt64(a[0]!)));
def('float64', ['any'], (a) => float(toFloat64(a[0]!)));
def('toDecimal', ['any'], (a) => {
  // strconv.ParseInt(fmt.Sprint(v), 8, 64), 0 on error
  const m = /^([+-]?)([0-7]+)$/.exec(fmtV(a[0]!));
  const v = m ? (m[1] === '-' ? -1n : 1n) * BigInt('0o' + m[2]) : 0n;
  return int64(v >= -(1n << 63n) && v < 1n << 63n ? v : 0n);
});
def('seq', [], (a) => {
  const p = a.map((x) => N([x], 0));
  const steps = (start: number, stop: number, step: number): number[] => untilStep(start, stop, step);
  let r: number[];
  if (p.length === 1) r = steps(1, p[0]! + (p[0]! < 1 ? -1 : 1), p[0]! < 1 ? -1 : 1);
  else if (p.length === 2) r = steps(p[0]!, p[1]! + (p[1]! < p[0]! ? -1 : 1), p[1]! < p[0]! ? -1 : 1);
  else if (p.length === 3) {
    const [start, step, end] = p as [number, number, number];
    if (end < start && step > 0) return '';
    r = steps(start, end + (end < start ? -1 : 1), step);
  } else return '';
  return r.join(' ');
}, 'int');
function untilStep(start: number, stop: number, step: number): number[] {
  const v: number[] = [];
  if (stop < start ? step >= 0 : step <= 0) return v;
  for (let i = start; stop < start ? i > stop : i < stop; i += step) {
    v.push(i);
    if (v.length > MAX_LIST) throw ferr(`list exceeds ${MAX_LIST} elements`);
  }
  return v;
}
def('until', ['int'], (a) => list(untilStep(0, N(a, 0), N(a, 0) < 0 ? -1 : 1).map(int), 'int'));
def('untilStep', ['int', 'int', 'int'], (a) => list(untilStep(N(a, 0), N(a, 1), N(a, 2)).map(int), 'int'));
def('split', ['string', 'string'], (a) => dictOf(new Map(goSplit(S(a, 1), S(a, 0)).map((p, i) => [`_${i}`, p])), 'string'));
def('splitn', ['string', 'int', 'string'], (a) => dictOf(new Map(goSplit(S(a, 2), S(a, 0), N(a, 1)).map((p, i) => [`_${i}`, p])), 'string'));
def('splitList', ['string', 'string'], (a) => list(goSplit(S(a, 1), S(a, 0)), 'string'));
def('toStrings', ['any'], (a) => list(strslice(a[0]!), 'string'));
def('join', ['string', 'any'], (a) => {
  const parts = strslice(a[1]!);
  checkSize(parts.reduce((n, p) => n + p.length + S(a, 0).length, 0));
  return parts.join(S(a, 0));
});
def('sortAlpha', ['any'], ([v]) => list(isList(v!) ? strslice(v!).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)) : [strval(v!)], 'string'));

// sprig: arithmetic (int64, as sprig's toInt64 casts)
const i64 = (a: Val[], i: number): bigint => toInt64(a[i]!);
def('add1', ['any'], (a) => int64(i64(a, 0) + 1n));
def('add', [], (a) => int64(a.reduce((s: bigint, _x, i) => s + i64(a, i), 0n)), 'any');
def('sub', ['any', 'any'], (a) => int64(i64(a, 0) - i64(a, 1)));
def('mul', ['any'], (a) => int64(a.reduce((s: bigint, _x, i) => BigInt.asIntN(64, s * i64(a, i)), 1n)), 'any');
const divisor = (a: Val[]): bigint => {
  const d = i64(a, 1);
  if (d === 0n) throw ferr('runtime error: integer divide by zero');
  return d;
};
def('div', ['any', 'any'], (a) => int64(i64(a, 0) / divisor(a)));
def('mod', ['any', 'any'], (a) => int64(i64(a, 0) % divisor(a)));
def(['max', 'biggest'], ['any'], (a) => int64(a.map((_x, i) => i64(a, i)).reduce((m, x) => (x > m ? x : m))), 'any');
def('min', ['any'], (a) => int64(a.map((_x, i) => i64(a, i)).reduce((m, x) => (x < m ? x : m))), 'any');
def('maxf', ['any'], (a) => float(Math.max(...a.map(toFloat64))), 'any');
def('minf', ['any'], (a) => float(Math.min(...a.map(toFloat64))), 'any');
def('floor', ['any'], (a) => float(Math.floor(toFloat64(a[0]!))));
def('ceil', ['any'], (a) => float(Math.ceil(toFloat64(a[0]!))));
def('round', ['any', 'int'], (a) => {
  const roundOn = a.length > 2 ? (a[2] as GoFloat).n : 0.5;
  const pow = 10 ** N(a, 1);
  const digit = pow * toFloat64(a[0]!);
  const frac = digit - Math.trunc(digit);
  return float((frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow);
}, 'float64');
def('randInt', ['int', 'int'], (a) => {
  const span = N(a, 1) - N(a, 0);
  if (span <= 0) throw ferr('invalid argument to Intn');
  return int(N(a, 0) + (crypto.getRandomValues(new Uint32Array(1))[0]! % span));
});

// sprig: defaults, flow, JSON, reflection
def('default', ['any'], (a) => (a.length < 2 || !truth(a[1]!) ? a[0]! : a[1]!), 'any');
def('empty', ['any'], (a) => !truth(a[0]!));
def('coalesce', [], (a) => a.find((x) => truth(x)) ?? null, 'any');
def('all', [], (a) => a.every(truth), 'any');
def('any', [], (a) => a.some(truth), 'any');
def(['compact', 'mustCompact'], ['any'], (a) => list(asList(a[0]!, 'compact').items.filter(truth)));
def('ternary', ['any', 'any', 'bool'], (a) => (B(a, 2) ? a[0]! : a[1]!));
def('fromJson', ['string'], (a) => {
  try {
    return mustFromJson(S(a, 0));
  } catch {
    return null;
  }
});
def('mustFromJson', ['string'], (a) => mustFromJson(S(a, 0)));
const lenient = (f: () => string): string => {
  try {
    return f();
  } catch (e) {
    if (e instanceof FuncError) return '';
    throw e;
  }
};
def('toJson', ['any'], (a) => lenient(() => jsonEncode(a[0]!, true, null)));
def('mustToJson', ['any'], (a) => jsonEncode(a[0]!, true, null));
def('toPrettyJson', ['any'], (a) => lenient(() => jsonEncode(a[0]!, true, '  ')));
def('mustToPrettyJson', ['any'], (a) => jsonEncode(a[0]!, true, '  '));
def('toRawJson', ['any'], (a) => lenient(() => jsonEncode(a[0]!, false, null)));
def('mustToRawJson', ['any'], (a) => jsonEncode(a[0]!, false, null));
const deepCopy = (v: Val): Val =>
  isList(v) ? list(v.items.map(deepCopy), v.elem) : isMap(v) ? dictOf(new Map([...v.m].map(([k, x]) => [k, deepCopy(x)])), v.elem) : v;
def(['deepCopy', 'mustDeepCopy'], ['any'], (a) => deepCopy(a[0]!));
def('typeOf', ['any'], (a) => typeName(a[0]!));
def('typeIs', ['string', 'any'], (a) => S(a, 0) === typeName(a[1]!));
def('typeIsLike', ['string', 'any'], (a) => S(a, 0) === typeName(a[1]!) || '*' + S(a, 0) === typeName(a[1]!));
def('kindOf', ['any'], (a) => kindName(a[0]!));
def('kindIs', ['string', 'any'], (a) => S(a, 0) === kindName(a[1]!));
def('deepEqual', ['any', 'any'], (a) => deepEqual(a[0]!, a[1]!));
def('fail', ['string'], () => {
  throw ferr('fail was called (message withheld: it may contain secret data)');
});

// sprig: encodings, randomness, paths
def('b64enc', ['string'], (a) => b64enc(S(a, 0)));
def('b64dec', ['string'], (a) => lenientMsg(() => b64dec(S(a, 0))));
def('b32enc', ['string'], (a) => b32enc(S(a, 0)));
def('b32dec', ['string'], (a) => lenientMsg(() => b32dec(S(a, 0))));
/** sprig's b64dec/b32dec return the decoding error's text as the result. */
function lenientMsg(f: () => string): string {
  try {
    return f();
  } catch (e) {
    if (e instanceof FuncError) return e.message;
    throw e;
  }
}
def('randAlphaNum', ['int'], (a) => randomString(N(a, 0), ALNUM));
def('randAlpha', ['int'], (a) => randomString(N(a, 0), ALNUM.slice(0, 52)));
def('randNumeric', ['int'], (a) => randomString(N(a, 0), ALNUM.slice(52)));
def('randAscii', ['int'], (a) => randomString(N(a, 0), Array.from({ length: 95 }, (_x, i) => String.fromCharCode(32 + i)).join('')));
def('randBytes', ['int'], (a) => {
  if (N(a, 0) < 0 || N(a, 0) > MAX_STRING) throw ferr('invalid count');
  return b64enc(bytesToBstr(crypto.getRandomValues(new Uint8Array(N(a, 0)))));
});
def('uuidv4', [], () => {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => hex(x, 2)).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
});
def(['base', 'osBase'], ['string'], (a) => pathBase(S(a, 0)));
def(['dir', 'osDir'], ['string'], (a) => pathDir(S(a, 0)));
def(['clean', 'osClean'], ['string'], (a) => pathClean(S(a, 0)));
def(['ext', 'osExt'], ['string'], (a) => pathExt(S(a, 0)));
def(['isAbs', 'osIsAbs'], ['string'], (a) => S(a, 0).startsWith('/'));

// sprig: lists and dicts
def(['list', 'tuple'], [], (a) => list([...a]), 'any');
def('dict', [], (a) => {
  const m = new Map<string, Val>();
  for (let i = 0; i < a.length; i += 2) m.set(strval(a[i]!), i + 1 < a.length ? a[i + 1]! : '');
  return dictOf(m);
}, 'any');
def('get', ['dict', 'string'], (a) => D(a, 0)?.m.get(S(a, 1)) ?? (D(a, 0)?.m.has(S(a, 1)) ? null : ''));
def('set', ['dict', 'string', 'any'], (a) => {
  const d = D(a, 0);
  if (!d) throw ferr('assignment to entry in nil map');
  d.m.set(S(a, 1), a[2]!);
  return d;
});
def('unset', ['dict', 'string'], (a) => {
  D(a, 0)?.m.delete(S(a, 1));
  return D(a, 0);
});
def('hasKey', ['dict', 'string'], (a) => D(a, 0)?.m.has(S(a, 1)) ?? false);
def('pluck', ['string'], (a) => list((a.slice(1) as (GoMap | null)[]).filter((d) => d?.m.has(S(a, 0))).map((d) => d!.m.get(S(a, 0))!)), 'dict');
// Go's map order is random; sealkit sorts keys (and values by key) for reproducible output.
def('keys', [], (a) => list((a as (GoMap | null)[]).flatMap((d) => (d ? sortedKeys(d.m) : [])), 'string'), 'dict');
def('values', ['dict'], (a) => list(D(a, 0) ? sortedKeys(D(a, 0)!.m).map((k) => D(a, 0)!.m.get(k)!) : []));
def('pick', ['dict'], (a) => dictOf(new Map((a.slice(1) as string[]).filter((k) => D(a, 0)?.m.has(k)).map((k) => [k, D(a, 0)!.m.get(k)!]))), 'string');
def('omit', ['dict'], (a) => dictOf(new Map([...(D(a, 0)?.m ?? [])].filter(([k]) => !(a.slice(1) as string[]).includes(k)))), 'string');
def('dig', [], (a) => {
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
}, 'any');
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
def(['without', 'mustWithout'], ['any'], (a) => list(asList(a[0]!, 'find without').items.filter((x) => !a.slice(1).some((y) => deepEqual(x, y)))), 'any');
def(['has', 'mustHas'], ['any', 'any'], (a) => asList(a[1]!, 'find has').items.some((x) => deepEqual(a[0]!, x)));
def(['slice', 'mustSlice'], ['any'], (a) => {
  const l = a[0]!;
  if (l === null) throw ferr('runtime error: invalid memory address or nil pointer dereference');
  if (!isList(l)) throw ferr(`list should be type of slice or array but ${kindName(l)}`);
  if (l.items.length === 0) return null;
  const start = a.length > 1 ? Number(toInt64(a[1]!)) : 0;
  const end = a.length > 2 ? Number(toInt64(a[2]!)) : l.items.length;
  if (start < 0 || end > l.items.length || start > end) throw ferr('reflect: slice index out of range');
  return list(l.items.slice(start, end), l.elem);
}, 'any');
def('concat', [], (a) => {
  const out: Val[] = [];
  for (const l of a) {
    if (!isList(l)) throw ferr(`Cannot concat type ${kindName(l)} as list`);
    out.push(...l.items);
  }
  return list(out);
}, 'any');
def(['chunk', 'mustChunk'], ['int', 'any'], (a) => {
  const size = N(a, 0);
  const items = asList(a[1]!, 'chunk').items;
  if (size <= 0) throw ferr('chunk size must be positive');
  const out: Val[] = [];
  for (let i = 0; i < items.length; i += size) out.push(list(items.slice(i, i + size)));
  return list(out);
});

// sprig: regular expressions
const reMatch = (a: Val[]): boolean => pikeExec(compileRegex(S(a, 0)), S(a, 1), 0) !== null;
def('regexMatch', ['string', 'string'], (a) => withRegex(() => reMatch(a), () => false));
def('mustRegexMatch', ['string', 'string'], (a) => withRegex(() => reMatch(a)));
def(['regexFindAll', 'mustRegexFindAll'], ['string', 'string', 'int'], (a) =>
  withRegex(() => list(findAll(compileRegex(S(a, 0)), S(a, 1), N(a, 2)).map((m) => S(a, 1).slice(m[0], m[1])), 'string')),
);
def(['regexFind', 'mustRegexFind'], ['string', 'string'], (a) =>
  withRegex(() => {
    const m = pikeExec(compileRegex(S(a, 0)), S(a, 1), 0);
    return m ? S(a, 1).slice(m[0], m[1]) : '';
  }),
);
def(['regexReplaceAll', 'mustRegexReplaceAll'], ['string', 'string', 'string'], (a) => withRegex(() => regexReplace(S(a, 0), S(a, 1), S(a, 2), false)));
def(['regexReplaceAllLiteral', 'mustRegexReplaceAllLiteral'], ['string', 'string', 'string'], (a) =>
  withRegex(() => regexReplace(S(a, 0), S(a, 1), S(a, 2), true)),
);
def(['regexSplit', 'mustRegexSplit'], ['string', 'string', 'int'], (a) => withRegex(() => regexSplit(S(a, 0), S(a, 1), N(a, 2))));
def('regexQuoteMeta', ['string'], (a) => S(a, 0).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'));

// ---------------------------------------------------------------------------------------------------
// Entry points

function execute(name: string, source: string, data: Readonly<Record<string, string>>): string {
  const nameB = goStr(name);
  const src = goStr(source);
  regexSteps = 0;
  const trees = new Parser(src, nameB, lex(src)).parse();
  const m = new Map<string, Val>();
  for (const k of Object.keys(data)) m.set(goStr(k), goStr(String(data[k])));
  return new Exec(src, nameB, trees).run(dictOf(m, 'string'));
}
function guarded<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TplError) throw new SealkitError('bad-template', jsStr(e.message));
    if (e instanceof RangeError) throw new SealkitError('bad-template', `template: ${name}: values are nested too deeply`);
    // A bug: never echo foreign messages, they could quote data.
    throw new SealkitError('bad-template', `template: ${name}: internal error while rendering the template`);
  }
}

/**
 * Renders one entry of a SealedSecret's spec.template.data the way sealed-secrets does: Go text/template
 * with the sprig functions, executed over the decrypted values. Throws SealkitError('bad-template') for
 * parse and execution errors; messages name the template and the source position, never a data value.
 * Bytes that are not valid UTF-8 in the result become U+FFFD; use renderTemplateBytes for binary output.
 */
export function renderTemplate(name: string, source: string, data: Readonly<Record<string, string>>): string {
  return jsStr(guarded(name, () => execute(name, source, data)));
}

/** As renderTemplate, but returns the exact output bytes (e.g. `{{ .keystore | b64dec }}` may be binary). */
export function renderTemplateBytes(name: string, source: string, data: Readonly<Record<string, string>>): Uint8Array {
  return bstrToBytes(guarded(name, () => execute(name, source, data)));
}

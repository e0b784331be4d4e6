// Go strings as JS byte strings: UTF-8 conversion, rune decoding and encoding, and Go's unicode predicates.
//
// Go strings are byte strings, so internally every Go string is a JS string whose code units are bytes
// (0..255): the source and the data are UTF-8 encoded first and the output is decoded last. That keeps
// len, index, substr, trunc, b64dec | b64enc and friends byte-exact, as in Go.

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Bytes -> byte string (chunked: String.fromCharCode takes a bounded number of arguments). */
export function bytesToBstr(u: Uint8Array): string {
  let s = '';
  for (let i = 0; i < u.length; i += 8192) s += String.fromCharCode(...u.subarray(i, i + 8192));
  return s;
}
/** Byte string -> bytes. */
export function bstrToBytes(s: string): Uint8Array {
  const u = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  return u;
}
/** JS string -> Go string (UTF-8 bytes). */
export const goStr = (s: string): string => bytesToBstr(utf8Encoder.encode(s));
/** Go string -> JS string (invalid UTF-8 becomes U+FFFD). */
export const jsStr = (b: string): string => utf8Decoder.decode(bstrToBytes(b));

/** Decodes the rune at byte i like Go's utf8.DecodeRuneInString: invalid input is (U+FFFD, 1). */
export function decodeRune(s: string, i: number): [number, number] {
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
/** A Unicode scalar value: in range and not a surrogate. */
export const validRune = (r: number): boolean => r >= 0 && r <= 0x10ffff && (r < 0xd800 || r > 0xdfff);
/** utf8.EncodeRune: an invalid rune is encoded as U+FFFD. */
export function encodeRune(r: number): string {
  if (!validRune(r)) r = 0xfffd;
  if (r < 0x80) return String.fromCharCode(r);
  if (r < 0x800) return String.fromCharCode(0xc0 | (r >> 6), 0x80 | (r & 0x3f));
  if (r < 0x10000) return String.fromCharCode(0xe0 | (r >> 12), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
  return String.fromCharCode(0xf0 | (r >> 18), 0x80 | ((r >> 12) & 0x3f), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
}
/** Runes of a Go string as [rune, byteStart, byteSize]. */
export function runes(s: string): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < s.length;) {
    const [r, n] = decodeRune(s, i);
    out.push([r, i, n]);
    i += n;
  }
  return out;
}
export const runeCount = (s: string): number => runes(s).length;
/** Like Go's strings.Map: invalid bytes are passed as U+FFFD. */
export const mapRunes = (s: string, f: (r: number) => number): string =>
  runes(s)
    .map(([r]) => encodeRune(f(r)))
    .join('');

const L_RE = /\p{L}/u;
const ND_RE = /\p{Nd}/u;
const PRINT_RE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;
/** unicode.IsLetter. */
export const isLetter = (r: number): boolean =>
  r < 0x80 ? (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) : validRune(r) && L_RE.test(String.fromCodePoint(r));
/** unicode.IsDigit. */
export const isDigit = (r: number): boolean => (r < 0x80 ? r >= 0x30 && r <= 0x39 : validRune(r) && ND_RE.test(String.fromCodePoint(r)));
/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export const isPrint = (r: number): boolean => (r < 0x80 ? r >= 0x20 && r < 0x7f : validRune(r) && PRINT_RE.test(String.fromCodePoint(r)));
/** unicode.IsSpace. */
export const isSpaceRune = (r: number): boolean =>
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
export type CaseTo = 'upper' | 'lower' | 'title';
/**
 * Go's simple case mappings (UnicodeData) where JavaScript's full mapping of the rune alone differs:
 * İ lowers to i; the Greek letters with ypogegrammeni upper to one rune; the Latin digraphs have a title case.
 */
function goCaseException(r: number, to: CaseTo): number | undefined {
  if (to === 'lower') return r === 0x130 ? 0x69 : undefined;
  for (const [lo, title] of [
    [0x1c4, 0x1c5],
    [0x1c7, 0x1c8],
    [0x1ca, 0x1cb],
    [0x1f1, 0x1f2],
  ] as const) {
    if (r >= lo && r <= lo + 2) return to === 'title' ? title : lo;
  }
  if (r >= 0x1f80 && r <= 0x1faf) return r | 0x08;
  if (r === 0x1fb3 || r === 0x1fc3 || r === 0x1ff3) return r + 9;
  return undefined;
}
/**
 * Cased letters newer than Go's Unicode 15.0 tables (Node's ICU has Unicode 16+): Go maps none of them,
 * nor ƛ and ɤ to their new capitals.
 */
const NEWER_CASED: [number, number][] = [
  [0x19b, 0x19b],
  [0x264, 0x264],
  [0x1c89, 0x1c8a],
  [0xa7cb, 0xa7cf],
  [0xa7d2, 0xa7d5],
  [0xa7da, 0xa7dc],
  [0x10d50, 0x10d85],
  [0x16ea0, 0x16ed3],
];
const newerCased = (r: number): boolean => NEWER_CASED.some(([lo, hi]) => r >= lo && r <= hi);
/** unicode.ToUpper / ToLower / ToTitle of one rune. */
export function caseRune(r: number, to: CaseTo): number {
  if (r < 0x80) {
    if (to !== 'lower' && r >= 0x61 && r <= 0x7a) return r - 32;
    if (to === 'lower' && r >= 0x41 && r <= 0x5a) return r + 32;
    return r;
  }
  if (!validRune(r) || newerCased(r)) return r;
  // Georgian Mkhedruli letters have Mtavruli capitals but are their own title case.
  if (to === 'title' && ((r >= 0x10d0 && r <= 0x10fa) || (r >= 0x10fd && r <= 0x10ff))) return r;
  const exception = goCaseException(r, to);
  if (exception !== undefined) return exception;
  const c = String.fromCodePoint(r);
  const m = [...(to === 'lower' ? c.toLowerCase() : c.toUpperCase())];
  return m.length === 1 ? m[0]!.codePointAt(0)! : r; // Go maps rune by rune (simple case mapping)
}
/** unicode.IsUpper / IsLower / IsTitle. */
export const isUpperRune = (r: number): boolean => validRune(r) && !newerCased(r) && /\p{Lu}/u.test(String.fromCodePoint(r));
export const isLowerRune = (r: number): boolean => validRune(r) && !newerCased(r) && /\p{Ll}/u.test(String.fromCodePoint(r));
export const isTitleRune = (r: number): boolean => validRune(r) && /\p{Lt}/u.test(String.fromCodePoint(r));

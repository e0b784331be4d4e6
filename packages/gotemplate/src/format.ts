// Go's fmt for template values: %v, Sprint, Sprintln and Sprintf with flags, width and precision.
import { ferr } from './errors.js';
import { timeFields, timeGoString, timeString } from './gotime.js';
import { semverString } from './semver.js';
import { MAX_STRING, checkStringLength } from './limits.js';
import { formatBinaryFloat, formatFloat, formatHexFloat, goQuote, hex, quoteRune } from './strconv.js';
import { decodeRune, encodeRune, isPrint, runeCount, runes } from './utf8.js';
import { type GoList, type GoMap, type Val, float, isInt, isList, isMap, mkInt, sortedKeys, typeName } from './values.js';

/** fmt's %v. */
export function fmtV(v: Val): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  switch (v.k) {
    case 'float64':
      return formatFloat(v.n, 'g', -1);
    case 'list':
      return '[' + v.items.map(fmtV).join(' ') + ']';
    case 'map':
      return (
        'map[' +
        sortedKeys(v.m)
          .map((k) => k + ':' + fmtV(v.m.get(k)!))
          .join(' ') +
        ']'
      );
    case 'time':
      return timeString(v);
    case 'complex128':
      return fmtArg(v, 'v', NO_FLAGS);
    case 'semver':
      return semverString(v);
    default:
      return v.n.toString();
  }
}

/** fmt.Sprint: a space between operands when neither is a string. */
export function sprint(args: Val[]): string {
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
/** fmt.Sprintln: spaces between all operands, and a newline. */
export const sprintln = (args: Val[]): string => args.map(fmtV).join(' ') + '\n';

/** %U (sharp: %#U, which adds the quoted character when it is printable). */
export function formatUnicode(n: bigint, sharp: boolean): string {
  n = BigInt.asUintN(64, n); // fmt formats the integer as a uint64
  const s = 'U+' + n.toString(16).toUpperCase().padStart(4, '0');
  return sharp && n <= 0x10ffffn && isPrint(Number(n)) ? `${s} '${encodeRune(Number(n))}'` : s;
}

const NO_FLAGS: FmtFlags = { minus: false, plus: false, sharp: false, space: false, zero: false, width: -1, prec: -1 };
interface FmtFlags {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number;
  prec: number;
}
/**
 * Pads to the width, as fmt does: with spaces, or with the 0 flag zeros on the left (after the sign for
 * floats: 'number'); integers and %U pad their zeros themselves ('spaces').
 */
function pad(s: string, f: FmtFlags, zero: 'plain' | 'number' | 'spaces' = 'plain'): string {
  if (f.width < 0) return s;
  const n = runeCount(s);
  if (f.width <= n) return s;
  if (f.minus) return s + ' '.repeat(f.width - n);
  if (f.zero && zero === 'number' && /[0-9]$/.test(s)) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(f.width - n) + s.slice(sign.length);
  }
  if (f.zero && zero === 'plain') return '0'.repeat(f.width - n) + s;
  return ' '.repeat(f.width - n) + s;
}
/** An integer in the given base with the sign, # prefix, precision and zero padding Go applies. */
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
  return pad(sign + prefix + digits, f, 'spaces');
}
/** The %!verb(type=value) Go prints for a verb that does not fit the operand. */
/** fmt's %!verb(type=value): the value printed with %v under the same flags (width, precision). */
function badVerb(verb: string, v: Val, f: FmtFlags): string {
  return v === null ? `%!${verb}(<nil>)` : `%!${verb}(${typeName(v)}=${fmtArg(v, 'v', f)})`;
}
/** The first prec runes of s (all of it when prec < 0), as fmt's precision limits a string. */
const truncateRunes = (s: string, prec: number): string =>
  prec >= 0
    ? runes(s)
        .slice(0, prec)
        .map(([, i, n]) => s.slice(i, i + n))
        .join('')
    : s;
/** %#v of a slice or map: Go syntax, []string{"a"}, map[string]interface {}{"k":1}, []string(nil). */
function goSyntax(v: GoList | GoMap, f: FmtFlags): string {
  const elem = (x: Val): string => (x === null ? 'interface {}(nil)' : isList(x) || isMap(x) ? goSyntax(x, f) : fmtArg(x, 'v', f));
  if (v.k === 'list') return v.nil ? `${typeName(v)}(nil)` : `${typeName(v)}{${v.items.map(elem).join(', ')}}`;
  return `${typeName(v)}{${sortedKeys(v.m)
    .map((k) => `${goQuote(k)}:${elem(v.m.get(k)!)}`)
    .join(', ')}}`;
}
/** One operand formatted with one verb. */
function fmtArg(v: Val, verb: string, f: FmtFlags): string {
  if (verb === 'T') return pad(typeName(v), f);
  if (v === null) return verb === 'v' ? pad('<nil>', f) : badVerb(verb, v, f);
  if (typeof v === 'string') {
    switch (verb) {
      case 'v':
        if (f.sharp) return pad(goQuote(v), f);
      // falls through
      case 's':
        return pad(truncateRunes(v, f.prec), f);
      case 'q': {
        const t = truncateRunes(v, f.prec);
        if (
          f.sharp &&
          !/[\x00-\x08\x0a-\x1f\x7f`]/.test(t) &&
          !t.includes('\xef\xbb\xbf') &&
          runes(t).every(([r, , n]) => !(r === 0xfffd && n === 1))
        )
          return pad('`' + t + '`', f);
        return pad(goQuote(t, f.plus), f);
      }
      case 'x':
      case 'X': {
        const bytes = f.prec >= 0 ? v.slice(0, f.prec) : v;
        let h = [...bytes].map((c) => hex(c.charCodeAt(0), 2)).join(f.space ? ' ' : '');
        if (verb === 'X') h = h.toUpperCase();
        return pad(h, f);
      }
    }
    return badVerb(verb, v, f);
  }
  if (typeof v === 'boolean') return verb === 't' || verb === 'v' ? pad(String(v), f) : badVerb(verb, v, f);
  if (v.k === 'list' || v.k === 'map') {
    if (verb === 'v' && f.sharp) return goSyntax(v, f);
    const plain = f.width < 0 && f.prec < 0 && !f.plus && !f.minus && !f.zero && !f.space;
    if (verb === 'v' && !f.sharp && plain) return fmtV(v);
    // Each element is formatted with the same verb and flags; a nil element of an interface slice or map prints as <nil>.
    const g = f;
    const elem = (x: Val): string => (x === null ? '<nil>' : fmtArg(x, verb, g));
    if (v.k === 'list') return '[' + v.items.map(elem).join(' ') + ']';
    return (
      'map[' +
      sortedKeys(v.m)
        .map((k) => fmtArg(k, verb, g) + ':' + elem(v.m.get(k)!))
        .join(' ') +
      ']'
    );
  }
  if (v.k === 'float64') {
    switch (verb) {
      case 'v':
      case 'g':
      case 'G': {
        const s = formatFloat(v.n, 'g', f.prec, f.sharp);
        return pad((f.plus && v.n >= 0 && !s.startsWith('+') ? '+' : '') + (verb === 'G' ? s.toUpperCase() : s), f, 'number');
      }
      case 'b': {
        const s = formatBinaryFloat(v.n);
        return pad((f.plus && v.n >= 0 && !s.startsWith('+') ? '+' : '') + s, f, 'number');
      }
      case 'x':
      case 'X': {
        const s = formatHexFloat(v.n, f.prec);
        return pad((f.plus && v.n >= 0 && !s.startsWith('+') ? '+' : '') + (verb === 'X' ? s.toUpperCase() : s), f, 'number');
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F': {
        const s = formatFloat(v.n, verb === 'e' || verb === 'E' ? 'e' : 'f', f.prec);
        return pad((f.plus && v.n >= 0 && !s.startsWith('+') ? '+' : '') + (verb === 'E' ? s.toUpperCase() : s), f, 'number');
      }
    }
    return badVerb(verb, v, f);
  }
  if (v.k === 'complex128') {
    // fmt's fmtComplex: each part as a float under the verb, the imaginary one always signed.
    if (!'vbgGxXfFeE'.includes(verb)) return badVerb(verb, v, f);
    return '(' + fmtArg(float(v.re), verb, f) + fmtArg(float(v.im), verb, { ...f, plus: true }) + 'i)';
  }
  if (v.k === 'semver') {
    // A fmt.Stringer under these verbs; its struct otherwise.
    if (verb === 'v' && f.sharp) {
      const fields = `major:0x${v.major.toString(16)}, minor:0x${v.minor.toString(16)}, patch:0x${v.patch.toString(16)}`;
      return `${v.pointer ? '&' : ''}semver.Version{${fields}, pre:${goQuote(v.pre)}, metadata:${goQuote(v.metadata)}, original:${goQuote(v.original)}}`;
    }
    if ('vsqxX'.includes(verb)) return fmtArg(semverString(v), verb, f);
    const fields = [...[v.major, v.minor, v.patch].map((n) => mkInt('uint64', n)), v.pre, v.metadata, v.original].map((x) =>
      fmtArg(x, verb, f),
    );
    return `${v.pointer ? '&' : ''}{${fields.join(' ')}}`;
  }
  if (v.k === 'time') {
    // A fmt.Stringer: these verbs format its String().
    if (verb === 'v' && f.sharp) return timeGoString(v);
    if (verb === 'v' || verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') return fmtArg(timeString(v), verb, f);
    // Otherwise fmt prints the struct's fields; loc is nil for UTC (a pointer, printed as an address, otherwise).
    const { wall, ext, utc } = timeFields(v);
    const loc = !utc
      ? '%!(LOCATION)'
      : 'bodxX'.includes(verb)
        ? fmtArg(mkInt('int', 0n), verb, f)
        : verb === 'p'
          ? '0x0'
          : `%!${verb}(*time.Location=<nil>)`;
    return `{${fmtArg(mkInt('uint64', wall), verb, f)} ${fmtArg(mkInt('int64', ext), verb, f)} ${loc}}`;
  }
  switch (verb) {
    case 'v':
      // %#v of an unsigned integer is hexadecimal with 0x (fmt0x64).
      if (f.sharp && (v.k === 'uint8' || v.k === 'uint32' || v.k === 'uint64')) return fmtInteger(v.n, 16, 'x', f);
      return fmtInteger(v.n, 10, verb, f);
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
    case 'U':
      return pad(formatUnicode(v.n, f.sharp), f, 'spaces');
  }
  return badVerb(verb, v, f);
}
/** fmt.Sprintf for the verbs templates use: v s q d x X o b c U t e E f F g G T and %%. */
export function sprintf(format: string, args: Val[]): string {
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
  let reordered = false;
  let goodArgNum: boolean;
  /** An explicit argument index [n] at i, as fmt's argNumber: whether one was found. */
  const argNumber = (): boolean => {
    if (format[i] !== '[') return false;
    reordered = true;
    const close = format.length - i < 3 ? -1 : format.indexOf(']', i + 1);
    if (close < 0) {
      i += 1;
      goodArgNum = false;
      return false;
    }
    const digits = format.slice(i + 1, close);
    i = close + 1;
    const ok = /^[0-9]+$/.test(digits) && digits.length < 7;
    const index = ok ? Number(digits) - 1 : -1;
    if (ok && index >= 0 && index < args.length) {
      argi = index;
      return true;
    }
    goodArgNum = false;
    return ok;
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
    goodArgNum = true;
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') f.minus = true;
      else if (c === '+') f.plus = true;
      else if (c === '#') f.sharp = true;
      else if (c === ' ') f.space = true;
      else if (c === '0') f.zero = true;
      else break;
    }
    let afterIndex = argNumber();
    if (format[i] === '*') {
      i++;
      const w = starArg();
      if (Number.isNaN(w) || Math.abs(w) > MAX_STRING) out += '%!(BADWIDTH)';
      else if (w < 0) [f.minus, f.width] = [true, -w];
      else f.width = w;
      afterIndex = false;
    } else if (format[i]! >= '0' && format[i]! <= '9') {
      f.width = num();
      if (afterIndex) goodArgNum = false;
    }
    if (i + 1 < format.length && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      afterIndex = argNumber();
      if (format[i] === '*') {
        i++;
        const p = starArg();
        if (Number.isNaN(p) || p > MAX_STRING) out += '%!(BADPREC)';
        else f.prec = p < 0 ? -1 : p;
        afterIndex = false;
      } else f.prec = num();
    }
    if (!afterIndex) argNumber();
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
    if (!goodArgNum) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    if (verb === 'v') f.plus = false; // %+v is fmt's plusV (struct field names), not a sign
    out += fmtArg(args[argi++]!, verb, f);
    checkStringLength(out.length);
  }
  if (!reordered && argi < args.length) {
    out +=
      '%!(EXTRA ' +
      args
        .slice(argi)
        .map((a) => (a === null ? '<nil>' : `${typeName(a)}=${fmtV(a)}`))
        .join(', ') +
      ')';
  }
  return out;
}

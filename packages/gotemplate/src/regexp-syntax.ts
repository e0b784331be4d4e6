// Go's regexp/syntax (RE2, Perl flags): parses a pattern into the tree that regexp.ts compiles.
import { FuncError } from './errors.js';
import { caseRune, validRune } from './utf8.js';

/** A pattern Go's regexp.Compile rejects; the message is Go's error code text. */
export class BadRegex extends FuncError {}
/** Empty-width assertions: ^ $ in and out of multi-line mode, \b and \B. */
export type RAssert = 'bot' | 'eot' | 'bol' | 'eol' | 'wb' | 'nwb';
/** A parsed pattern: a rune predicate, an assertion, a concatenation, alternation, capture or repetition. */
export type RNode =
  | { t: 'char'; test: (r: number) => boolean }
  | { t: 'assert'; a: RAssert }
  | { t: 'cat' | 'alt'; subs: RNode[] }
  | { t: 'cap'; n: number; sub: RNode }
  | { t: 'rep'; min: number; max: number; greedy: boolean; sub: RNode };
/** Inclusive rune ranges of a character class. */
type Ranges = [number, number][];
const inRanges = (rs: Ranges, r: number): boolean => rs.some(([a, b]) => r >= a && r <= b);
const R_DIGIT: Ranges = [[48, 57]];
const R_SPACE: Ranges = [
  [9, 10],
  [12, 13],
  [32, 32],
];
const R_WORD: Ranges = [
  [48, 57],
  [65, 90],
  [95, 95],
  [97, 122],
];
const R_POSIX: Record<string, Ranges> = {
  alnum: [
    [48, 57],
    [65, 90],
    [97, 122],
  ],
  alpha: [
    [65, 90],
    [97, 122],
  ],
  ascii: [[0, 127]],
  blank: [
    [9, 9],
    [32, 32],
  ],
  cntrl: [
    [0, 31],
    [127, 127],
  ],
  digit: R_DIGIT,
  graph: [[33, 126]],
  lower: [[97, 122]],
  print: [[32, 126]],
  punct: [
    [33, 47],
    [58, 64],
    [91, 96],
    [123, 126],
  ],
  space: [
    [9, 13],
    [32, 32],
  ],
  upper: [[65, 90]],
  word: R_WORD,
  xdigit: [
    [48, 57],
    [65, 70],
    [97, 102],
  ],
};
/** \p{Name}: a Unicode category or script, tested with the JS engine's tables (cached by name). */
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

/** Parser for Go's regexp/syntax (Perl flags): literals, classes, escapes, groups, flags, repetition. */
export class RegexParser {
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
    const [lo, up] = [caseRune(r, 'lower'), caseRune(r, 'upper')];
    return { t: 'char', test: (x) => x === r || caseRune(x, 'lower') === lo || caseRune(x, 'upper') === up };
  }
  private pred(ranges: Ranges, extra: ((r: number) => boolean)[], neg: boolean): RNode {
    const fold = this.flags.i;
    const has = (x: number): boolean => inRanges(ranges, x) || extra.some((f) => f(x));
    return { t: 'char', test: (r) => (has(r) || (fold && (has(caseRune(r, 'lower')) || has(caseRune(r, 'upper'))))) !== neg };
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
      let h: string;
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

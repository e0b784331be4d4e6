// Go's regexp over byte strings: a Pike VM runs RE2 patterns in linear time, within a per-render budget.
//
// Not JS RegExp: a backtracking engine could be made to hang by a pattern or a value, Go's cannot.
import { MAX_REGEX_INSTS, charge, checkStringLength } from './limits.js';
import { BadRegex, type RAssert, type RNode, RegexParser } from './regexp-syntax.js';
import { decodeRune, isDigit, isLetter, runes } from './utf8.js';
import { type GoList, list } from './values.js';

/** Work units of one VM step, relative to one byte copied. */
const STEP_COST = 10;
/** Pike VM instructions; split tries x before y, so thread order is match priority. */
type Inst =
  | { op: 'char'; test: (r: number) => boolean }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'save'; n: number }
  | { op: 'assert'; a: RAssert }
  | { op: 'match' };
/** A compiled pattern: ncap capture groups (group 0 is the whole match) and their names. */
interface Prog {
  insts: Inst[];
  ncap: number;
  names: string[];
  /** The generation in which each instruction was last visited: the VM's de-duplication, kept between matches. */
  mark: Int32Array;
  gen: number;
}
/** Compiles a tree to Pike VM instructions (Thompson's construction; splits order the threads by priority). */
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
/** regexp.Compile, cached by pattern; a bad pattern throws BadRegex. */
export function compileRegex(pat: string): Prog {
  let prog = regexCache.get(pat);
  if (prog) return prog;
  charge(pat.length);
  const rs = runes(pat);
  if (rs.some(([r, , n]) => r === 0xfffd && n === 1)) throw new BadRegex('invalid UTF-8');
  const parser = new RegexParser(rs.map(([r]) => r));
  const insts: Inst[] = [{ op: 'save', n: 0 }];
  compileNode(parser.parse(), insts);
  insts.push({ op: 'save', n: 1 }, { op: 'match' });
  charge(insts.length);
  prog = { insts, ncap: parser.names.length, names: parser.names, mark: new Int32Array(insts.length).fill(-1), gen: 0 };
  if (regexCache.size > 100) regexCache.clear();
  regexCache.set(pat, prog);
  return prog;
}
/** An ASCII word character at byte i, as \b sees it. */
const isWordByte = (s: string, i: number): boolean => i >= 0 && i < s.length && /\w/.test(s[i]!);
/**
 * Leftmost-first match starting the search at byte `start`: the first nsave capture positions (-1: unset),
 * or null. Like Go, only the slots asked for are tracked (2: the match itself), so a pattern with many
 * groups costs nothing extra unless its groups are wanted; every step and every copy is charged.
 */
export function pikeExec(prog: Prog, s: string, start: number, nsave = 2): number[] | null {
  const { insts, mark } = prog;
  type Thread = { pc: number; caps: number[] };
  const add = (list: Thread[], pc0: number, caps0: number[], pos: number): void => {
    const stack: Thread[] = [{ pc: pc0, caps: caps0 }];
    while (stack.length > 0) {
      const { pc, caps } = stack.pop()!;
      if (mark[pc] === prog.gen) continue;
      mark[pc] = prog.gen;
      charge(STEP_COST);
      const inst = insts[pc]!;
      switch (inst.op) {
        case 'jmp':
          stack.push({ pc: inst.x, caps });
          break;
        case 'split':
          stack.push({ pc: inst.y, caps }, { pc: inst.x, caps });
          break;
        case 'save': {
          if (inst.n >= nsave) {
            stack.push({ pc: pc + 1, caps });
            break;
          }
          charge(caps.length);
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
  const empty = new Array<number>(Math.min(nsave, prog.ncap * 2)).fill(-1);
  let matched: number[] | null = null;
  let clist: Thread[] = [];
  nextGeneration(prog);
  for (let pos = start; ;) {
    if (matched === null) add(clist, 0, empty, pos);
    // No live thread: done once matched; else a match may still start later (after a \n, at a \b).
    if (clist.length === 0 && (matched !== null || pos >= s.length)) break;
    const [r, w] = pos < s.length ? decodeRune(s, pos) : [-1, 0];
    nextGeneration(prog);
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
/** Starts a new generation of the VM's visited marks (reused across matches, not allocated per match). */
function nextGeneration(prog: Prog): void {
  if (++prog.gen === 0x7fffffff) {
    prog.mark.fill(-1);
    prog.gen = 0;
  }
}
/** Regexp.FindAll*Index: successive non-overlapping matches; an empty match right after a match is skipped. */
export function findAll(prog: Prog, s: string, n: number): number[][] {
  const out: number[][] = [];
  if (n < 0) n = s.length + 1;
  for (let pos = 0, prevEnd = -1; out.length < n && pos <= s.length;) {
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
  for (let i = 0; i < template.length;) {
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
export function regexReplace(pat: string, s: string, repl: string, literal: boolean): string {
  const prog = compileRegex(pat);
  let out = '';
  let lastEnd = 0;
  for (let searchPos = 0; searchPos <= s.length;) {
    const m = pikeExec(prog, s, searchPos, !literal && repl.includes('$') ? 2 * prog.ncap : 2);
    if (!m) break;
    const [a0, a1] = [m[0]!, m[1]!];
    out += s.slice(lastEnd, a0);
    if (a1 > lastEnd || a0 === 0) out += literal ? repl : expand(repl, s, m, prog.names);
    checkStringLength(out.length);
    lastEnd = a1;
    const width = searchPos < s.length ? decodeRune(s, searchPos)[1] : 0;
    if (searchPos + width > a1) searchPos += width;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  return out + s.slice(lastEnd);
}
/** Regexp.Split. */
export function regexSplit(pat: string, s: string, n: number): GoList {
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

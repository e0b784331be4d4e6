// The template parser (text/template/parse/parse.go): tokens to the syntax trees of one source.
import type { Arg, Cmd, Node, Pipe, Span, Trees } from './ast.js';
import { TplError } from './errors.js';
import { FUNCS, UNSUPPORTED } from './funcs/index.js';
import { goTrimSpace } from './gostrings.js';
import { KEYWORDS, type Tok, type TokT } from './lexer.js';
import { MAX_NESTING } from './limits.js';
import { goQuote, parseGoFloat, parseGoInt, parseGoUint, unquote, unquoteChar } from './strconv.js';
import { runes } from './utf8.js';

/** {{end}} and {{else}}: they close the list being parsed and are not nodes of the tree. */
type Ctl = { k: 'end' | 'else'; pos: number };
const isCtl = (n: Node | Ctl): n is Ctl => n.k === 'end' || n.k === 'else';

/** Go keeps the first non-empty definition of a name: an empty one (only space and comments) can be replaced. */
function isEmptyTree(list: Node[]): boolean {
  return list.every((n) => n.k === 'comment' || (n.k === 'text' && goTrimSpace(n.text) === ''));
}

/** Parses the tokens of one source into its trees; a syntax error throws TplError, as Go's Parse returns it. */
export class Parser {
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
  /** A complex constant (1+2i, or an imaginary one, 2i) as [real, imaginary], or null for other numbers. */
  private complex(tok: Tok, text: string): [number, number] | null {
    if (tok.t === 'complex') {
      const m = /^([+-]?[^+-]*(?:[eEpP][+-][^+-]*)?)([+-].*)i$/.exec(text);
      const re = m ? parseGoFloat(m[1]!) : null;
      const im = m ? parseGoFloat(m[2]!) : null;
      if (re === null || im === null) this.errorf(`illegal number syntax: ${goQuote(text)}`);
      return [re, im];
    }
    const im = text.endsWith('i') ? parseGoFloat(text.slice(0, -1)) : null;
    return im === null ? null : [0, im];
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
    const complex = this.complex(tok, text);
    if (complex) {
      // As parse.simplifyComplex: a complex constant with no imaginary part is also a float (and an int if integral).
      const [re, im] = complex;
      const integral = im === 0 && Number.isInteger(re) && Math.abs(re) < 2 ** 63;
      return {
        ...node,
        complex,
        isFloat: im === 0,
        float: re,
        isInt: integral,
        int: integral ? BigInt(re) : 0n,
        isUint: integral && re >= 0,
      };
    }
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
/** A token as Go's item.String() shows it in "unexpected" errors. */
function tokString(t: Tok): string {
  if (t.t === 'eof') return 'EOF';
  if (KEYWORDS.has(t.t) || t.t === 'dot') return `<${t.val}>`;
  const r = runes(t.val);
  if (r.length > 10) return goQuote(t.val.slice(0, r[10]![1])) + '...';
  return goQuote(t.val);
}

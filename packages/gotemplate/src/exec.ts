// The template evaluator (text/template/exec.go): walks the trees over the data, with Go's typing of arguments.
import type { Arg, Cmd, ControlNode, Node, Pipe, Span, Trees, VarArg } from './ast.js';
import { FuncError, TplError } from './errors.js';
import { fmtV } from './format.js';
import { FUNCS } from './funcs/index.js';
import { PT_NAME, type PT } from './funcs/signature.js';
import { LimitError, MAX_STRING, MAX_TEMPLATE_DEPTH, charge, chargeMemory, chargeOutput } from './limits.js';
import { type GoSemver, SEMVER_METHODS } from './semver.js';
import { goQuote } from './strconv.js';
import { runes } from './utf8.js';
import { type Val, float, int, isInt, isList, isMap, isSemver, mkInt, sortedKeys, truth, typeName } from './values.js';

/** The "no final value" of the first command of a pipeline (Go passes a missing reflect.Value). */
const MISSING = Symbol('missing');
/** Work units of one evaluation step, relative to one byte handled. */
const STEP_COST = 50;
type Final = Val | typeof MISSING;
/** How a list of nodes ended: normally, or by {{break}} / {{continue}} inside a range. */
type Signal = 'break' | 'continue' | null;

/** One execution of a parsed source; the limits count across {{template}} calls. */
export class Exec {
  private out: string[] = [];
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

  /** Fails the execution with Go's message: position, template name and the failing source text. */
  private fail(node: Span, msg: string): never {
    const nl = this.src.lastIndexOf('\n', node.pos - 1);
    const line = this.src.slice(0, node.pos).split('\n').length;
    let ctx = this.src.slice(node.pos, Math.max(node.end, node.pos)).replace(/[\t\n\r ]+$/, '');
    const rs = runes(ctx);
    if (rs.length > 20) ctx = ctx.slice(0, rs[20]![1]) + '...';
    throw new TplError(`template: ${this.name}:${line}:${node.pos - nl - 1}: executing ${goQuote(this.tmplName)} at <${ctx}>: ${msg}`);
  }
  /** One node walked or command evaluated: a few hundred nanoseconds of work. */
  private step(): void {
    charge(STEP_COST);
  }
  /** A value handed to or returned by a function: work in proportion to its size. */
  private charge(v: Val): void {
    charge(typeof v === 'string' ? v.length : isList(v) ? v.items.length : isMap(v) ? v.m.size : 1);
  }
  private write(s: string): void {
    chargeOutput(s.length);
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
      this.write(n.text);
      return null;
    }
    if (n.k === 'comment') return null;
    this.step();
    switch (n.k) {
      case 'action': {
        const v = this.evalPipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0) this.write(v === null ? '<no value>' : fmtV(v));
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
        this.step();
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
      if (isList(val) && val.items.length > 0) {
        const items = [...val.items];
        for (let i = 0; i < items.length; i++) if (one(int(i), items[i]!) === 'break') break;
        return null;
      }
      if (isMap(val) && val.m.size > 0) {
        charge(val.m.size * Math.log2(val.m.size + 1)); // sorting the keys
        for (const k of sortedKeys(val.m)) if (one(k, val.m.get(k)!) === 'break') break;
        return null;
      }
      if (isInt(val)) {
        // Go 1.22+ ranges over an integer: 0 .. n-1 of its type, one variable at most.
        if (decl.length > 1) this.fail(n, `can't use a ${typeName(val)} to iterate over more than one variable`);
        for (let i = 0n; i < val.n; i++) if (one(mkInt(val.k, i), mkInt(val.k, i)) === 'break') break;
        if (val.n > 0n) return null;
      } else if (val !== null && !isList(val) && !isMap(val)) this.fail(n, `range can't iterate over a value of type ${typeName(val)}`);
      return n.elseList ? this.walkList(dot, n.elseList) : null;
    } finally {
      this.vars.length = mark0;
    }
  }

  /** The innermost variable of that name. */
  private variable(node: Span, name: string): { name: string; v: Val } {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!;
    this.fail(node, `undefined variable: ${name}`);
  }
  private varValue(node: Span, name: string): Val {
    return this.variable(node, name).v;
  }
  private setVar(node: Span, name: string, v: Val): void {
    this.variable(node, name).v = v;
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
    this.step();
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
    if (n.complex) return { k: 'complex128', re: n.complex[0], im: n.complex[1] };
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
    let fromAnyMap = false;
    for (let i = 0; i < idents.length; i++) {
      const last = i === idents.length - 1;
      const name = idents[i]!;
      if (receiver === null) {
        // A missing key yields no value (missingkey=default), but a nil held in a map[string]interface{} is a nil interface.
        if (fromAnyMap) this.fail(node, `nil pointer evaluating interface {}.${name}`);
        return null;
      }
      if (isSemver(receiver)) {
        receiver = this.callMethod(dot, receiver, node, name, last ? args.slice(1) : [], last ? final : MISSING);
        fromAnyMap = false;
        continue;
      }
      if (!isMap(receiver)) this.fail(node, `can't evaluate field ${name} in type ${typeName(receiver)}`);
      if (last && (args.length > 1 || final !== MISSING)) this.fail(node, `${name} is not a method but has arguments`);
      const r = receiver.m.get(name);
      fromAnyMap = r === null && receiver.elem === 'any';
      receiver = r === undefined ? null : r;
    }
    return receiver;
  }
  /** A method call on a semver.Version (the only values with methods), typed as Go's evalCall does. */
  private callMethod(dot: Val, v: GoSemver, node: Span, name: string, args: Arg[], final: Final): Val {
    const method = Object.hasOwn(SEMVER_METHODS, name) ? SEMVER_METHODS[name]! : undefined;
    if (!method || (method.pointer && !v.pointer)) this.fail(node, `can't evaluate field ${name} in type ${typeName(v)}`);
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    if (numIn !== method.params.length) this.fail(node, `wrong number of args for ${name}: want ${method.params.length} got ${numIn}`);
    const argv = args.map((a, i) => this.evalArg(dot, method.params[i] === 'string' ? 'string' : 'any', a));
    if (final !== MISSING) argv.push(final);
    argv.forEach((a, i) => {
      const want = method.params[i]!;
      if (want === 'string' ? typeof a !== 'string' : a !== null && !(isSemver(a) && a.pointer))
        this.fail(node, `wrong type for value; expected ${want === 'string' ? 'string' : '*semver.Version'}; got ${typeName(a)}`);
    });
    // A nil *Version argument: Equal says false, the others dereference it (a panic in Go).
    if (argv.includes(null)) {
      if (name === 'Equal') return false;
      this.fail(node, `error calling ${name}: runtime error: invalid memory address or nil pointer dereference`);
    }
    try {
      const r = method.call(v, argv as (string | GoSemver)[]);
      return typeof r === 'bigint' ? mkInt(name === 'Compare' ? 'int' : 'uint64', r) : typeof r === 'number' ? int(r) : (r as Val);
    } catch (e) {
      if (e instanceof FuncError) this.fail(node, `error calling ${name}: ${e.message}`);
      throw e;
    }
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
    for (const a of argv) this.charge(a);
    let r: Val;
    try {
      r = fn.f(argv);
    } catch (e) {
      if (e instanceof TplError || e instanceof LimitError) throw e;
      // Never forward foreign messages (e.g. JSON.parse quotes its input).
      const why = e instanceof FuncError ? e.message : e instanceof RangeError ? 'values are nested too deeply' : 'internal error';
      this.fail(cmd, `error calling ${name}: ${why}`);
    }
    if (typeof r === 'string' && r.length > MAX_STRING) this.fail(cmd, `error calling ${name}: result exceeds the 1 MiB limit`);
    this.charge(r);
    chargeMemory(typeof r === 'string' ? r.length : isList(r) ? r.items.length * 8 : isMap(r) ? r.m.size * 16 : 8);
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
    this.step();
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
      case 'uint32':
        if (n.k === 'number' && n.isInt && n.int >= 0n) return mkInt(t, n.int); // reflect's SetUint truncates
        this.fail(n, `expected unsigned integer; found ${found}`);
      // falls through
      case 'float64':
        if (n.k === 'number' && n.isFloat) return float(n.float);
        this.fail(n, `expected float; found ${found}`);
      // falls through
      case 'dict':
      case 'time':
        this.fail(n, `can't handle ${found} for arg of type ${PT_NAME[t]}`);
    }
  }
}

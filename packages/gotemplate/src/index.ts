// Go text/template with sprig, as Bitnami sealed-secrets renders spec.template.data: the public entry point.
//
// sealed-secrets runs template.New(key).Funcs(sprigFuncMap).Parse(value) then Execute(&buf, map[string]string)
// where sprigFuncMap = sprig.GenericFuncMap() (sprig v3.3.0) minus env, expandenv and getHostByName.
// Error messages never contain a data value: only template source text, Go type names and function names.
import { TplError } from './errors.js';
import { Exec } from './exec.js';
import { lex } from './lexer.js';
import { DEADLINE_MS, LimitError, MAX_MEMORY, MAX_OUTPUT, MAX_WORK, startBudget } from './limits.js';
import { Parser } from './parser.js';
import { bstrToBytes, bytesToBstr, goStr, jsStr } from './utf8.js';
import { type Val, dictOf } from './values.js';

export type GoTemplateErrorCode =
  | 'invalid-template' // Go would refuse it too: a parse or execution error
  | 'budget-exceeded' // more work, memory or output than the budget allows
  | 'deadline-exceeded' // rendering ran past the wall-clock deadline
  | 'internal'; // a bug of this engine

/** The one error type of the engine. `message` names the template and source position, never a value. */
export class GoTemplateError extends Error {
  readonly code: GoTemplateErrorCode;
  constructor(code: GoTemplateErrorCode, message: string) {
    super(message);
    this.name = 'GoTemplateError';
    this.code = code;
  }
}

export interface RenderOptions {
  /** Wall-clock milliseconds a render may take (default 1000), checked inside the engine as it works. */
  deadlineMs?: number;
  /** Work units a render may spend (default 200 million, about a second of the costliest work). */
  workBudget?: number;
  /** Bytes of output a render may write (default 1 MiB). */
  maxOutputBytes?: number;
  /** Bytes of strings (and 8 per list element) that functions may make in one render (default 64 MiB). */
  maxMemoryBytes?: number;
}

/** The values a template ranges over: Go's map[string]string, so bytes (or text, taken as UTF-8). */
export type TemplateValues = Readonly<Record<string, Uint8Array | string>>;

const goValue = (v: Uint8Array | string): string => (typeof v === 'string' ? goStr(v) : bytesToBstr(v));

/**
 * Renders one entry of a SealedSecret's spec.template.data the way sealed-secrets does, and returns the
 * exact output bytes. Throws GoTemplateError: 'invalid-template' where Go fails too, 'budget-exceeded' or
 * 'deadline-exceeded' where a template would take too much.
 */
export function renderTemplate(name: string, source: string, values: TemplateValues, options: RenderOptions = {}): Uint8Array {
  startBudget(
    options.workBudget ?? MAX_WORK,
    options.deadlineMs ?? DEADLINE_MS,
    options.maxOutputBytes ?? MAX_OUTPUT,
    options.maxMemoryBytes ?? MAX_MEMORY,
  );
  try {
    const nameB = goStr(name);
    const src = goStr(source);
    const trees = new Parser(src, nameB, lex(src)).parse();
    const m = new Map<string, Val>();
    for (const k of Object.keys(values)) m.set(goStr(k), goValue(values[k]!));
    return bstrToBytes(new Exec(src, nameB, trees).run(dictOf(m, 'string')));
  } catch (e) {
    if (e instanceof TplError) throw new GoTemplateError('invalid-template', jsStr(e.message));
    if (e instanceof LimitError) throw new GoTemplateError(`${e.limit}-exceeded`, `template: ${name}: ${e.message}`);
    if (e instanceof RangeError) throw new GoTemplateError('budget-exceeded', `template: ${name}: values are nested too deeply`);
    // A bug: never echo foreign messages, they could quote data.
    throw new GoTemplateError('internal', `template: ${name}: internal error while rendering the template`);
  }
}

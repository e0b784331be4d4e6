// Go text/template with sprig, as Bitnami sealed-secrets renders spec.template.data: the public entry points.
//
// sealed-secrets runs template.New(key).Funcs(sprigFuncMap).Parse(value) then Execute(&buf, map[string]string)
// where sprigFuncMap = sprig.GenericFuncMap() (sprig v3.3.0) minus env, expandenv and getHostByName.
// Error messages never contain a data value: only template source text, Go type names and function names.
import { SealkitError } from '../errors.js';
import { TplError } from './errors.js';
import { Exec } from './exec.js';
import { lex } from './lexer.js';
import { Parser } from './parser.js';
import { resetRegexBudget } from './regexp.js';
import { bstrToBytes, goStr, jsStr } from './utf8.js';
import { type Val, dictOf } from './values.js';

/** Parses and executes one source over the data; returns the output as a byte string. */
function execute(name: string, source: string, data: Readonly<Record<string, string>>): string {
  const nameB = goStr(name);
  const src = goStr(source);
  resetRegexBudget();
  const trees = new Parser(src, nameB, lex(src)).parse();
  const m = new Map<string, Val>();
  for (const k of Object.keys(data)) m.set(goStr(k), goStr(String(data[k])));
  return new Exec(src, nameB, trees).run(dictOf(m, 'string'));
}
/** Runs f, turning every failure into SealkitError('bad-template') with a message that cannot quote data. */
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

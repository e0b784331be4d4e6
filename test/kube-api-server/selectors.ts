// Label and field selectors with the syntax of k8s.io/apimachinery/pkg/labels
// and k8s.io/apimachinery/pkg/fields.

import { badRequest } from './errors.js';
import { validateLabelKey, validateLabelValue } from './validation-util.js';

export type LabelOp = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

export interface LabelSelector {
  requirements: LabelRequirement[];
  matches(labels: Record<string, string> | undefined | null): boolean;
  toString(): string;
}

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels[r.key] : undefined;
  switch (r.op) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(v as string);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(v as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has) return false;
      const n = Number(v);
      if (!Number.isInteger(n)) return false;
      const bound = Number(r.values[0]);
      return r.op === 'gt' ? n > bound : n < bound;
    }
  }
}

const parseErr = (msg: string) => badRequest(`unable to parse requirement: ${msg}`);

/** Parse a label selector string. Throws a 400 ApiError on syntax errors. */
export function parseLabelSelector(input: string | undefined | null): LabelSelector {
  const requirements: LabelRequirement[] = [];
  const s = (input ?? '').trim();
  let i = 0;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const ident = (): string => {
    ws();
    const start = i;
    while (i < s.length && !/[\s,=!()<>]/.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  while (s.length > 0) {
    ws();
    if (i >= s.length) break;
    let op: LabelOp | undefined;
    let key: string;
    let values: string[] = [];
    if (s[i] === '!') {
      i++;
      key = ident();
      if (!key) throw parseErr("found '', expected: identifier after '!'");
      op = '!';
    } else {
      key = ident();
      if (!key) throw parseErr(`found '${s[i] ?? ''}', expected: !, identifier, or 'end of string'`);
      ws();
      if (i >= s.length || s[i] === ',') {
        op = 'exists';
      } else if (s.startsWith('==', i)) {
        op = '==';
        i += 2;
      } else if (s.startsWith('!=', i)) {
        op = '!=';
        i += 2;
      } else if (s[i] === '=') {
        op = '=';
        i += 1;
      } else if (s[i] === '>') {
        op = 'gt';
        i += 1;
      } else if (s[i] === '<') {
        op = 'lt';
        i += 1;
      } else {
        const word = ident();
        if (word === 'in') op = 'in';
        else if (word === 'notin') op = 'notin';
        else throw parseErr(`found '${word}', expected: in, notin, =, ==, !=, gt, lt`);
      }
      if (op === '=' || op === '==' || op === '!=' || op === 'gt' || op === 'lt') {
        ws();
        const start = i;
        while (i < s.length && s[i] !== ',' && !/\s/.test(s[i]!)) i++;
        const v = s.slice(start, i);
        if (/[()=!]/.test(v)) throw parseErr(`found '${v}', expected: identifier`);
        values = [v];
        if ((op === 'gt' || op === 'lt') && !/^-?\d+$/.test(v)) {
          throw parseErr(`for 'Gt', 'Lt' operators, the value must be an integer`);
        }
      } else if (op === 'in' || op === 'notin') {
        ws();
        if (s[i] !== '(') throw parseErr(`found '${s[i] ?? ''}', expected: '('`);
        i++;
        const close = s.indexOf(')', i);
        if (close < 0) throw parseErr("found '', expected: ')'");
        values = s
          .slice(i, close)
          .split(',')
          .map((x) => x.trim());
        if (values.length === 1 && values[0] === '') values = [''];
        i = close + 1;
      }
    }
    const keyErr = validateLabelKey(key);
    if (keyErr) throw parseErr(`key: Invalid value: ${JSON.stringify(key)}: ${keyErr}`);
    for (let vi = 0; vi < values.length; vi++) {
      if (op === 'gt' || op === 'lt') continue;
      const vErr = validateLabelValue(values[vi]!);
      if (vErr) {
        throw parseErr(`values[${vi}][${key}]: Invalid value: ${JSON.stringify(values[vi])}: ${vErr}`);
      }
    }
    requirements.push({ key, op: op!, values });
    ws();
    if (i < s.length) {
      if (s[i] !== ',') throw parseErr(`found '${s[i]}', expected: ',' or 'end of string'`);
      i++;
      ws();
      if (i >= s.length) throw parseErr("found '', expected: identifier");
    }
  }
  // the real parser sorts requirements by key
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements,
    matches(labels) {
      const l = labels ?? {};
      return requirements.every((r) => requirementMatches(r, l));
    },
    toString() {
      return requirements
        .map((r) => {
          switch (r.op) {
            case 'exists':
              return r.key;
            case '!':
              return `!${r.key}`;
            case 'in':
            case 'notin':
              return `${r.key} ${r.op} (${r.values.join(',')})`;
            case 'gt':
              return `${r.key}>${r.values[0]}`;
            case 'lt':
              return `${r.key}<${r.values[0]}`;
            default:
              return `${r.key}${r.op}${r.values[0]}`;
          }
        })
        .join(',');
    },
  };
}

// ---------------------------------------------------------------------------
// Field selectors

export interface FieldRequirement {
  field: string;
  op: '=' | '==' | '!=';
  value: string;
}

export interface FieldSelector {
  requirements: FieldRequirement[];
  matches(fields: Record<string, string | undefined>): boolean;
  /** The value of `metadata.name=X` if the selector pins a single name. */
  exactName(): string | undefined;
}

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
    } else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function unescapeFieldValue(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\') {
      const n = v[i + 1];
      if (n === '\\' || n === ',' || n === '=') {
        out += n;
        i++;
        continue;
      }
      throw badRequest(`invalid field selector: invalid escape sequence: ${c}${n ?? ''}`);
    }
    if (c === ',' || c === '=') throw badRequest(`invalid field selector: unescaped ${c}`);
    out += c;
  }
  return out;
}

/**
 * Parse a field selector. `supported` lists the field labels the resource
 * supports; `unsupportedMessage` builds the error text for any other label.
 */
export function parseFieldSelector(
  input: string | undefined | null,
  supported: readonly string[],
  unsupportedMessage: (field: string) => string,
): FieldSelector {
  const requirements: FieldRequirement[] = [];
  const s = (input ?? '').trim();
  if (s) {
    for (const termRaw of splitUnescaped(s, ',')) {
      const term = termRaw.trim();
      if (!term) continue;
      let m: RegExpMatchArray | null;
      let op: FieldRequirement['op'];
      let idx: number;
      if ((idx = term.indexOf('!=')) > 0) {
        op = '!=';
        m = [term, term.slice(0, idx), term.slice(idx + 2)];
      } else if ((idx = term.indexOf('==')) > 0) {
        op = '==';
        m = [term, term.slice(0, idx), term.slice(idx + 2)];
      } else if ((idx = term.indexOf('=')) > 0) {
        op = '=';
        m = [term, term.slice(0, idx), term.slice(idx + 1)];
      } else {
        throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
      }
      const field = m[1]!.trim();
      const value = unescapeFieldValue(m[2]!.trim());
      if (!supported.includes(field)) throw badRequest(unsupportedMessage(field));
      requirements.push({ field, op, value });
    }
  }
  return {
    requirements,
    matches(fields) {
      return requirements.every((r) => {
        const v = fields[r.field] ?? '';
        return r.op === '!=' ? v !== r.value : v === r.value;
      });
    },
    exactName() {
      const r = requirements.find((x) => x.field === 'metadata.name' && x.op !== '!=');
      return r?.value;
    },
  };
}

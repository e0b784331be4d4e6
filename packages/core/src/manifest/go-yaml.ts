/**
 * YAML as kubeseal writes it: sigs.k8s.io/yaml, that is go-yaml v2's encoder and libyaml's
 * emitter. Ported rather than approximated with a general YAML library, because the bytes
 * matter (users diff sealed files): which strings get quoted and how (plain, 'single',
 * "double", | literal), escapes, and where long strings break at column 80.
 * Only what JSON-shaped Kubernetes objects need: mappings, sequences, strings, numbers,
 * booleans and null.
 */

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

// ---- go-yaml v2's resolve(): would the string, written plain, read back as something else?

const NON_STRINGS = new Set(
  [
    '',
    '~',
    'null',
    'Null',
    'NULL',
    '.nan',
    '.NaN',
    '.NAN',
    '.inf',
    '.Inf',
    '.INF',
    '+.inf',
    '+.Inf',
    '+.INF',
    '-.inf',
    '-.Inf',
    '-.INF',
  ].concat([
    'y',
    'Y',
    'yes',
    'Yes',
    'YES',
    'true',
    'True',
    'TRUE',
    'on',
    'On',
    'ON',
    'n',
    'N',
    'no',
    'No',
    'NO',
    'false',
    'False',
    'FALSE',
    'off',
    'Off',
    'OFF',
  ]),
);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
// go-yaml v2's timestamp layouts: 2006-1-2T15:4:5.999999999Z07:00 (T or t), 2006-1-2 15:4:5.999999999, 2006-1-2.
const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[-+]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/;

/** Whether Go's time.Parse accepts it: the layout, and a real date and time of day. */
function isTimestamp(text: string): boolean {
  const match = TIMESTAMP.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const [hour, minute, second] = [match[4] ?? match[7], match[5] ?? match[8], match[6] ?? match[9]].map((part) => Number(part ?? 0));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour! < 24 && minute! < 60 && second! < 60;
}
// Go's strconv.ParseInt/ParseUint with base 0 (underscores already removed).
const GO_INTEGER = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/;

function resolvesToNonString(text: string): boolean {
  const first = text[0];
  if (NON_STRINGS.has(text) && (text === '' || /[yYnNtTfFoO~.+-]/.test(first!) || text === '.nan')) return true;
  if (first === '.') return /^\.[0-9]/.test(text) && YAML_FLOAT.test(text);
  if (first === undefined || !/[-+0-9]/.test(first)) return false;
  if (isTimestamp(text)) return true;
  const plain = text.replace(/_/g, '');
  if (GO_INTEGER.test(plain) || YAML_FLOAT.test(plain)) return true;
  return /^-?0b[01]+$/.test(plain);
}

// ---- libyaml's yaml_emitter_analyze_scalar

const isBreak = (c: string) => c === '\r' || c === '\n' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlank = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || isBreak(c);

/** libyaml's is_printable (go-yaml sets the emitter to unicode). */
function isPrintable(c: string): boolean {
  const code = c.codePointAt(0)!;
  return (
    code === 0x0a ||
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff)
  );
}

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

/** Word characters and base64's + / = are no indicator, space or break anywhere in a scalar. */
const NOTHING_SPECIAL = /^[\w+/=]+$/;

function analyze(value: string): Analysis {
  if (value === '') return { multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true, block: false };
  // Most scalars (names, sealed values): what the walk below would find, without walking a start-up's cold code over each character.
  if (NOTHING_SPECIAL.test(value)) return { multiline: false, flowPlain: true, blockPlain: true, singleQuoted: true, block: true };
  const chars = [...value];
  let blockIndicators = value.startsWith('---') || value.startsWith('...');
  let flowIndicators = blockIndicators;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  chars.forEach((c, i) => {
    const followedByWhitespace = isBlank(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) flowIndicators = blockIndicators = true;
      else if (c === '?' || c === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === '-' && followedByWhitespace) flowIndicators = blockIndicators = true;
    } else if (',?[]{}'.includes(c)) flowIndicators = true;
    else if (c === ':') {
      flowIndicators = true;
      if (followedByWhitespace) blockIndicators = true;
    } else if (c === '#' && precededByWhitespace) flowIndicators = blockIndicators = true;
    if (!isPrintable(c)) special = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = previousBreak = false;
    }
    precededByWhitespace = isBlank(c);
  });
  const result: Analysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) result.flowPlain = result.blockPlain = false;
  if (trailingSpace) result.block = false;
  if (breakSpace) result.flowPlain = result.blockPlain = result.singleQuoted = false;
  if (spaceBreak || special) result.flowPlain = result.blockPlain = result.singleQuoted = result.block = false;
  if (lineBreaks) result.flowPlain = result.blockPlain = false;
  if (flowIndicators) result.flowPlain = false;
  if (blockIndicators) result.blockPlain = false;
  return result;
}

type Style = 'plain' | 'single' | 'double' | 'literal';

/** go-yaml's stringv() choice, then libyaml's yaml_emitter_select_scalar_style (block context only). */
function scalarStyle(value: string, isKey: boolean): Style {
  let style: Style = value.includes('\n') ? 'literal' : resolvesToNonString(value) || BASE60_FLOAT.test(value) ? 'double' : 'plain';
  const analysis = analyze(value);
  if (isKey && analysis.multiline) style = 'double';
  if (style === 'plain' && (!analysis.blockPlain || (value === '' && isKey))) style = 'single';
  if (style === 'single' && !analysis.singleQuoted) style = 'double';
  if (style === 'literal' && (!analysis.block || isKey)) style = 'double';
  return style;
}

// ---- libyaml's writers

const DOUBLE_ESCAPES: Record<number, string> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
};

function hexEscape(code: number): string {
  const [letter, digits] = code <= 0xff ? ['x', 2] : code <= 0xffff ? ['u', 4] : ['U', 8];
  return `\\${letter}${code
    .toString(16)
    .toUpperCase()
    .padStart(digits as number, '0')}`;
}

/** A scalar written from `column` (after "key: "), lines broken past BEST_WIDTH as libyaml breaks them. */
class ScalarWriter {
  out = '';
  constructor(
    private column: number,
    private readonly indent: number,
  ) {}

  put(text: string): void {
    this.out += text;
    this.column += [...text].length;
  }

  /** libyaml's write_indent: a line break unless one was just written, then the indentation. */
  newline(): void {
    if (this.column !== 0) this.out += '\n';
    this.out += ' '.repeat(this.indent);
    this.column = this.indent;
  }

  /** libyaml's write_break: "\n" as a line break, another break character as itself. */
  lineBreak(c: string): void {
    this.out += c;
    this.column = 0;
  }

  plain(chars: string[], allowBreaks: boolean): void {
    let spaces = false;
    chars.forEach((c, i) => {
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.newline();
        else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    });
  }

  singleQuoted(chars: string[], allowBreaks: boolean): void {
    this.put("'");
    let spaces = false;
    let breaks = false;
    chars.forEach((c, i) => {
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && chars[i + 1] !== ' ') this.newline();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.lineBreak('\n');
        this.lineBreak(c);
        breaks = true;
      } else {
        if (breaks) this.newline();
        this.put(c === "'" ? "''" : c);
        spaces = breaks = false;
      }
    });
    this.put("'");
  }

  doubleQuoted(chars: string[], allowBreaks: boolean): void {
    this.put('"');
    let spaces = false;
    chars.forEach((c, i) => {
      const code = c.codePointAt(0)!;
      if (!isPrintable(c) || code === 0xfeff || isBreak(c) || c === '"' || c === '\\') {
        this.put(DOUBLE_ESCAPES[code] !== undefined ? `\\${DOUBLE_ESCAPES[code]}` : hexEscape(code));
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.newline();
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    });
    this.put('"');
  }

  literal(chars: string[]): void {
    let hints = isBlank(chars[0]) && chars[0] !== '\t' ? String(BEST_INDENT) : '';
    const last = chars[chars.length - 1]!;
    if (!isBreak(last)) hints += '-';
    else if (chars.length === 1 || isBreak(chars[chars.length - 2]!)) hints += '+';
    this.put(`|${hints}`);
    this.lineBreak('\n');
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.lineBreak(c);
        breaks = true;
      } else {
        if (breaks) this.newline();
        this.put(c);
        breaks = false;
      }
    }
  }
}

/** One scalar; `column` is where it starts, `indent` the indentation of its continuation lines. */
function scalar(value: unknown, column: number, indent: number, isKey = false): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  // Go's strconv.FormatFloat(v, 'g', -1, 64): an exponent has a sign and at least two digits.
  if (typeof value === 'number')
    return String(value).replace(/e([+-]?)(\d+)$/, (_, sign: string, digits: string) => `e${sign || '+'}${digits.padStart(2, '0')}`);
  const text = String(value);
  const chars = [...text];
  const writer = new ScalarWriter(column, indent);
  const style = scalarStyle(text, isKey);
  if (style === 'plain') writer.plain(chars, !isKey);
  else if (style === 'single') writer.singleQuoted(chars, !isKey);
  else if (style === 'double') writer.doubleQuoted(chars, !isKey);
  else writer.literal(chars);
  return writer.out;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A mapping's or sequence's entries at `indent`; `prefix` is what precedes the first line ("- "). */
function block(value: unknown, indent: number, order: (a: string, b: string) => number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        if ((isMapping(item) && Object.keys(item).length > 0) || (Array.isArray(item) && item.length > 0)) {
          return `${pad}- ${block(item, indent + 2, order).slice(indent + 2)}`;
        }
        return `${pad}- ${node(item, indent + 2, indent + 2, order)}\n`;
      })
      .join('');
  }
  const record = value as Record<string, unknown>;
  return Object.keys(record)
    .sort(order)
    .filter((key) => record[key] !== undefined)
    .map((key) => {
      const keyText = scalar(key, indent, indent, true);
      const item = record[key];
      if (isMapping(item) && Object.keys(item).length > 0) return `${pad}${keyText}:\n${block(item, indent + BEST_INDENT, order)}`;
      // go-yaml v2 does not indent a sequence inside a mapping.
      if (Array.isArray(item) && item.length > 0) return `${pad}${keyText}:\n${block(item, indent, order)}`;
      const text = node(item, indent + [...keyText].length + 2, indent + BEST_INDENT, order);
      // After a literal that ends in a line break, the next key needs no other.
      return `${pad}${keyText}: ${text}${text.endsWith('\n') ? '' : '\n'}`;
    })
    .join('');
}

function node(value: unknown, column: number, indent: number, order: (a: string, b: string) => number): string {
  if (isMapping(value)) return Object.keys(value).length === 0 ? '{}' : `\n${block(value, indent, order)}`.trimEnd();
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `\n${block(value, indent, order)}`.trimEnd();
  return scalar(value, column, indent);
}

/** One YAML document (no `---`), as go-yaml v2 writes it, mappings' keys in `order`. */
export function goYamlDocument(value: unknown, order: (a: string, b: string) => number): string {
  if (isMapping(value) || Array.isArray(value))
    return (isMapping(value) && Object.keys(value).length === 0) || (Array.isArray(value) && value.length === 0)
      ? `${node(value, 0, 0, order)}\n`
      : block(value, 0, order);
  return `${scalar(value, 0, 0)}\n`;
}

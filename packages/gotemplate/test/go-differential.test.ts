// Differential test: generated templates and values rendered by this engine and by Go itself
// (test/gotemplate-oracle: Bitnami's rendering lines over sprig v3.3.0) must give the same bytes, or
// both fail. Skipped with a reason without the Go-built oracle; required in CI.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referencePath, referenceSkipReason } from '../../../test/reference/binaries.js';
import { GoTemplateError, renderTemplate } from '../src/index.js';
import { type GoBytes, type GoResult, fromGoBytes, toGoBytes } from './go-bytes.js';

const skip = referenceSkipReason('gotemplate-oracle');

interface Case {
  template: string;
  values: Record<string, GoBytes>;
}

/** Go's outcome for a batch of cases, from one run of the oracle. */
function goRender(cases: Case[]): GoResult[] {
  const run = spawnSync(referencePath('gotemplate-oracle'), { input: JSON.stringify(cases), maxBuffer: 1 << 28, env: { TZ: 'UTC' } });
  if (run.status !== 0) throw new Error(`gotemplate-oracle failed: ${run.stderr.toString()}`);
  return (JSON.parse(run.stdout.toString()) as GoResult[]).map((r) =>
    r.error ? { output: '', error: true } : { output: r.output, error: false },
  );
}

/** Our outcome in the oracle's shape; a budget or deadline error would be a failure of the test. */
function ourRender({ template, values }: Case): GoResult {
  const bytes = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, fromGoBytes(v)]));
  try {
    return { output: toGoBytes(renderTemplate('tpl', template, bytes)), error: false };
  } catch (e) {
    if (e instanceof GoTemplateError && e.code === 'invalid-template') return { output: '', error: true };
    throw e;
  }
}

// Values: text with the characters whose case mapping differs between Go and JavaScript, and raw bytes.
const tricky = [
  'İ',
  'ı',
  'ǆ',
  'ǅ',
  'Ǆ',
  'ꟓ',
  'ƛ',
  'ა',
  'ᾳ',
  'ß',
  'Σ',
  'ς',
  'σ',
  'é',
  'e\u0301',
  '🎉',
  '日本',
  ' ',
  '\n',
  '\t',
  '_',
  '-',
  '.',
  'a',
  'B',
  '1',
  'x y',
  '"',
  '\\',
  '%',
];
const text = fc
  .array(fc.oneof(fc.constantFrom(...tricky), fc.string({ maxLength: 4 }), fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 6 })
  .map((p) => p.join(''));
const bytes = fc.uint8Array({ maxLength: 8 }).map((b): GoBytes => ({ b64: Buffer.from(b).toString('base64') }));
const number = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((d) => String(Math.round(d * 1000) / 1000)),
);
const values = fc.record({ a: text, b: fc.oneof(text, bytes), n: number, m: number });

// Template pieces.
const quoted = (s: string): string => `"${s.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
const strLit = text.map(quoted);
const intLit = fc.integer({ min: -20, max: 40 }).map(String);
const floatLit = fc.oneof(
  fc.constantFrom(
    '2.5',
    '3.5',
    '0.5',
    '-1.5',
    '0.05',
    '1e21',
    '1.005',
    '2.675',
    '0.1',
    '100.0',
    '1i',
    '2.5+0i',
    '-1-2.5i',
    '0i',
    '0x1p-2i',
  ),
  fc
    .double({ noNaN: true, noDefaultInfinity: true, min: -1e4, max: 1e4 })
    .map((d) => (Number.isInteger(d) ? `${d}.0` : String(d)))
    .filter((s) => !s.includes('e')),
);
const strArg = fc.oneof(strLit, fc.constantFrom('.a', '.b', '.n', '.missing', '(.a | upper)', '(toString .n)'));
const numArg = fc.oneof(intLit, fc.constantFrom('.n', '.m', '(len .a)', '(atoi .n)'));
const regex = fc
  .array(
    fc.constantFrom(
      '\\b',
      '(?m)^',
      '$',
      '^',
      '[a-z]+',
      '\\d',
      '(a|b)*',
      '.',
      '(?i)a',
      '\\w+',
      '\\s',
      'x?',
      '(\\w)(\\w)',
      'İ',
      'ß',
      '[^ ]',
      '\\pL',
      '.*?',
      '(?s).',
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((p) => quoted(p.join('')));
const verb = fc.constantFrom(
  '%s',
  '%v',
  '%q',
  '%d',
  '%x',
  '%X',
  '%o',
  '%b',
  '%c',
  '%U',
  '%e',
  '%E',
  '%f',
  '%.0f',
  '%.1f',
  '%.2f',
  '%5.1f',
  '%-6s|',
  '%+d',
  '%08.3f',
  '%g',
  '%.3g',
  '%G',
  '%T',
  '%t',
  '%[2]v',
  '%[1]v',
  '%10q',
  '%#v',
  '%x',
);

const layout = fc
  .array(
    fc.constantFrom(
      '2006',
      '06',
      '01',
      '1',
      '02',
      '2',
      '_2',
      'Jan',
      'January',
      'Mon',
      'Monday',
      '15',
      '3',
      '03',
      '4',
      '04',
      '5',
      '05',
      'PM',
      'pm',
      'MST',
      '-0700',
      '-07:00',
      'Z07:00',
      '-07',
      '.000',
      '.999',
      ',000',
      '002',
      '__2',
      ' ',
      '-',
      '/',
      ':',
      'T',
      'x',
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((p) => quoted(p.join('')));
const unixSeconds = fc.integer({ min: -3_000_000_000, max: 5_000_000_000 }).map(String);
const zone = fc.constantFrom(
  '"UTC"',
  '"Asia/Tokyo"',
  '"America/New_York"',
  '"Europe/Berlin"',
  '"Asia/Kolkata"',
  '"Australia/Sydney"',
  '"Europe/London"',
  '"America/Los_Angeles"',
  '"Bad/Zone"',
  '"Local"',
  '""',
);
const durationText = fc.constantFrom(
  '"+36h"',
  '"-1h30m"',
  '"1.5h"',
  '"bad"',
  '"90m"',
  '"-0.5s"',
  '"1h2m3.5s"',
  '"300ms"',
  '"2µs"',
  '""',
  '"0"',
);
const dateExpr = fc.oneof(
  fc.tuple(layout, unixSeconds).map(([l, s]) => `(date ${l} ${s})`),
  // Zone abbreviations come from Intl, which knows them for today's rules only (Tokyo in 1937 is JST in Go, GMT+9 in Intl).
  fc.tuple(layout, fc.integer({ min: 0, max: 4_000_000_000 }), zone).map(([l, s, z]) => `(dateInZone ${l} (int64 ${s}) ${z})`),
  fc.tuple(layout, unixSeconds).map(([l, s]) => `(toDate ${l} (date ${l} ${s}))`),
  fc.tuple(layout, unixSeconds).map(([l, s]) => `(toDate ${l} (date ${l} ${s}) | unixEpoch)`),
  fc
    .tuple(unixSeconds, durationText)
    .map(
      ([s, d]) =>
        `(toDate "2006-01-02 15:04:05" (date "2006-01-02 15:04:05" ${s}) | dateModify ${d} | date "2006-01-02T15:04:05.999Z07:00")`,
    ),
  fc.tuple(unixSeconds, fc.boolean()).map(([s, text]) => (text ? `(duration "${s}")` : `(duration (int64 ${s}))`)),
  fc.tuple(unixSeconds, zone).map(([s, z]) => `(htmlDateInZone ${s} ${z})`),
  fc
    .oneof(
      durationText,
      unixSeconds.map((s) => `(int64 ${s}000)`),
    )
    .map((d) => `(durationRound ${d})`),
  strArg.map((s) => `(toDate "2006-01-02" ${s})`),
);

const urlText = fc
  .array(
    fc.constantFrom(
      'https:',
      'HTTP:',
      'mailto:',
      'x+y:',
      '1a:',
      '//',
      '///',
      'user',
      ':pw',
      '%41',
      '%zz',
      '%2',
      '@',
      'host.example',
      'h',
      ':8443',
      ':x',
      '[::1]',
      '[fe80::1%25en0]',
      '[1.2.3.4]',
      '[',
      ']',
      '/p',
      '/a b',
      '/%20',
      '%2F',
      '?q=1',
      '?',
      '&r=x',
      '#frag',
      '#a b',
      '#%41',
      '*',
      ':',
      ';',
      'é',
      '\\t',
      ' ',
      '..',
      '/./',
    ),
    { maxLength: 7 },
  )
  .map((p) => quoted(p.join('')));
const urlExpr = fc.oneof(
  urlText.map((u) => `(urlParse ${u})`),
  fc
    .tuple(urlText, fc.constantFrom('scheme', 'host', 'hostname', 'path', 'query', 'opaque', 'fragment', 'userinfo'))
    .map(([u, k]) => `(urlParse ${u}).${k}`),
  urlText.map((u) => `(urlParse ${u} | urlJoin)`),
  fc
    .tuple(
      fc.subarray(['scheme', 'host', 'path', 'query', 'opaque', 'fragment', 'userinfo']),
      fc.array(fc.oneof(strLit, urlText), { minLength: 7, maxLength: 7 }),
    )
    .map(([keys, vals]) => `(urlJoin (dict ${keys.map((k, i) => `"${k}" ${vals[i]}`).join(' ')}))`),
);

const versionText = fc
  .array(fc.constantFrom('v', '1', '0', '01', '.', '2', '10', '-', 'rc', 'alpha', '.1', '+', 'build', '.007', 'x', '-beta'), {
    minLength: 1,
    maxLength: 6,
  })
  .map((p) => quoted(p.join('')));
const semverExpr = fc.oneof(
  versionText.map((v) => `(semver ${v})`),
  fc
    .tuple(
      versionText,
      fc.constantFrom(
        'Major',
        'Minor',
        'Patch',
        'Prerelease',
        'Metadata',
        'Original',
        'String',
        'IncPatch',
        'IncMinor',
        'IncMajor',
        'IncMajor.String',
      ),
    )
    .map(([v, m]) => `(semver ${v}).${m}`),
  fc
    .tuple(versionText, versionText, fc.constantFrom('Compare', 'LessThan', 'GreaterThan', 'Equal', 'LessThanEqual'))
    .map(([v, w, m]) => `((semver ${v}).${m} (semver ${w}))`),
  fc.tuple(versionText, fc.constantFrom('"rc.1"', '"01"', '""', '"a..b"')).map(([v, p]) => `((semver ${v}).SetPrerelease ${p})`),
);

const scalar = fc.oneof(strArg, intLit, floatLit, fc.constantFrom('nil', 'true', 'false', '.missing'));
const listOf = fc.array(scalar, { maxLength: 4 }).map((xs) => `(list ${xs.join(' ')})`);
const listFn = fc.constantFrom(
  'first',
  'last',
  'rest',
  'initial',
  'reverse',
  'uniq',
  'compact',
  'sortAlpha',
  'join "-"',
  'toJson',
  'len',
  'toStrings',
  'empty',
  'kindOf',
  'typeOf',
  'toRawJson',
  'toPrettyJson',
);
const dictOf = fc
  .array(fc.tuple(fc.constantFrom('"a"', '"b"', '"k"', '"é"', '""'), scalar), { maxLength: 3 })
  .map((kv) => `(dict ${kv.flat().join(' ')})`);
const collectionExpr = fc.oneof(
  fc.tuple(listOf, listFn).map(([l, f]) => `(${l} | ${f})`),
  fc.tuple(listOf, intLit, intLit).map(([l, i, j]) => `(slice ${l} ${i} ${j})`),
  fc.tuple(listOf, intLit).map(([l, i]) => `(index ${l} ${i})`),
  fc.tuple(listOf, scalar).map(([l, x]) => `(without ${l} ${x})`),
  fc.tuple(listOf, scalar).map(([l, x]) => `(append ${l} ${x})`),
  fc.tuple(listOf, listOf).map(([l, m]) => `(concat ${l} ${m})`),
  fc.tuple(intLit, listOf).map(([n, l]) => `(chunk ${n} ${l})`),
  fc
    .tuple(dictOf, fc.constantFrom('keys | sortAlpha', 'values | len', 'toJson', 'len', 'deepCopy', 'empty'))
    .map(([d, f]) => `(${d} | ${f})`),
  fc.tuple(dictOf, fc.constantFrom('"a"', '"b"', '"zz"')).map(([d, k]) => `(get ${d} ${k})`),
  fc.tuple(dictOf, fc.constantFrom('"a"', '"b"', '"zz"')).map(([d, k]) => `(hasKey ${d} ${k})`),
  fc.tuple(dictOf, dictOf).map(([d, e]) => `(pluck "a" ${d} ${e})`),
  fc.tuple(dictOf).map(([d]) => `(pick ${d} "a" "k")`),
  fc.tuple(dictOf).map(([d]) => `(omit ${d} "a")`),
  fc.tuple(scalar).map(([x]) => `(dig "a" "b" "def" (dict "a" (dict "b" ${x})))`),
  fc.tuple(scalar, scalar).map(([x, y]) => `(default ${x} ${y})`),
  fc.tuple(scalar, scalar).map(([x, y]) => `(coalesce ${x} ${y})`),
  fc.tuple(scalar, scalar, fc.boolean()).map(([x, y, c]) => `(ternary ${x} ${y} ${c})`),
  fc.tuple(scalar).map(([x]) => `(toJson ${x} | fromJson)`),
  fc.tuple(strArg).map(([x]) => `(fromJson ${x})`),
  fc.tuple(strArg).map(([x]) => `(b64dec ${x})`),
  fc.tuple(strArg).map(([x]) => `(b32enc ${x} | b32dec)`),
  fc.tuple(strArg, intLit).map(([x, i]) => `(index ${x} ${i})`),
  fc.tuple(strArg, intLit, intLit).map(([x, i, j]) => `(substr ${i} ${j} ${x})`),
  fc.tuple(strArg, intLit).map(([x, i]) => `(trunc ${i} ${x})`),
  fc.tuple(strArg, strArg).map(([x, y]) => `(split ${x} ${y})`),
  fc.tuple(scalar, scalar).map(([x, y]) => `(eq ${x} ${y})`),
  fc.tuple(scalar, scalar).map(([x, y]) => `(lt ${x} ${y})`),
  fc.tuple(scalar).map(([x]) => `(printf "%v|%T" ${x} ${x})`),
);

const strFn1 = fc.constantFrom(
  'upper',
  'lower',
  'title',
  'untitle',
  'swapcase',
  'trim',
  'nospace',
  'quote',
  'squote',
  'b64enc',
  'b32enc',
  'len',
  'initials',
  'camelcase',
  'snakecase',
  'kebabcase',
  'sha1sum',
  'sha256sum',
  'sha512sum',
  'adler32sum',
  'toJson',
  'toString',
  'trimAll "a"',
  'trunc 3',
  'abbrev 5',
  'abbrevboth 2 6',
  'wrap 3',
  'repeat 2',
  'indent 2',
  'nindent 1',
  'substr 1 3',
  'replace "a" "-"',
  'contains "a"',
  'hasPrefix "a"',
  'plural "one" "many"',
  'splitList " " | join "+"',
  'cat "x"',
  'b64enc | b64dec',
  'toStrings',
  'regexQuoteMeta',
  'sortAlpha',
  'shuffle | len',
  'int',
  'float64',
  'atoi',
  'encryptAES "key" | decryptAES "key"',
  'b64enc | decryptAES "k"',
  'b64dec | decryptAES "k"',
  'kindOf',
  'typeOf',
  'empty',
  'default "d"',
);
const numFn2 = fc.constantFrom('add', 'sub', 'mul', 'div', 'mod', 'max', 'min', 'addf', 'subf', 'mulf', 'divf');

const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    strArg,
    numArg,
    fc.tuple(tie('e'), strFn1).map(([e, f]) => `(${e} | ${f})`),
    fc.tuple(numFn2, numArg, numArg).map(([f, x, y]) => `(${f} ${x} ${y})`),
    fc.tuple(fc.constantFrom('round', 'floor', 'ceil', 'float64', 'int64'), floatLit).map(([f, x]) => `(${f} ${x})`),
    // Not a time.Time from toDate: Go prints its *time.Location's address under most verbs.
    fc
      .tuple(
        verb,
        fc.array(
          fc.oneof(
            tie('e').filter((e) => !e.startsWith('(toDate')),
            floatLit,
            intLit,
          ),
          { minLength: 1, maxLength: 3 },
        ),
      )
      .map(([v, xs]) => `(printf "${v}" ${xs.join(' ')})`),
    fc
      .tuple(fc.constantFrom('regexReplaceAll', 'regexReplaceAllLiteral'), regex, strArg, fc.constantFrom('"<$1>"', '"-"', '"${1}x"', '""'))
      .map(([f, r, s, t]) => `(${f} ${r} ${s} ${t})`),
    fc
      .tuple(fc.constantFrom('regexFind', 'regexMatch', 'regexFindAll', 'regexSplit'), regex, strArg)
      .map(([f, r, s]) => (f.endsWith('All') || f.endsWith('Split') ? `(${f} ${r} ${s} -1)` : `(${f} ${r} ${s})`)),
    fc.tuple(strArg, strArg).map(([x, y]) => `(list ${x} ${y} ${x} | uniq)`),
    fc.tuple(strArg, numArg).map(([x, y]) => `(dict "k" ${x} "n" ${y})`),
    fc.tuple(strArg, strArg).map(([x, y]) => `(merge (dict "a" ${x}) (dict "a" ${y} "b" 1))`),
    fc.tuple(strArg, strArg).map(([x, y]) => `(eq ${x} ${y})`),
    fc.tuple(intLit, intLit).map(([x, y]) => `(has ${x} (list ${y} 1 2))`),
    dateExpr,
    urlExpr,
    semverExpr,
    collectionExpr,
  ),
})).e;

const action = fc.oneof(
  expr.map((e) => `{{ ${e} }}`),
  fc.tuple(expr, expr, expr).map(([c, x, y]) => `{{ if ${c} }}${'{{'} ${x} }}{{ else }}{{ ${y} }}{{ end }}`),
  fc.tuple(expr, expr).map(([l, x]) => `{{ range $i, $v := (list ${l} "z") }}{{ $i }}={{ $v }};{{ ${x} }}{{ end }}`),
  fc.tuple(expr).map(([x]) => `{{ with ${x} }}[{{ . }}]{{ else }}none{{ end }}`),
  expr.map((e) => `{{ $x := ${e} }}{{ $x | toJson }}`),
);
const template = fc.array(fc.oneof(action, fc.constantFrom('|', ' ', '\n', 'text')), { minLength: 1, maxLength: 4 }).map((p) => p.join(''));
const caseArb = fc.record({ template, values });

describe.skipIf(skip)('agreement with Go (differential)', () => {
  const numRuns = Number(process.env.SEALKIT_FUZZ_RUNS ?? 600);
  it(`renders ${numRuns} generated templates as Go does`, () => {
    // One oracle run for the whole batch; a mismatch is then shrunk case by case.
    const cases = fc.sample(caseArb, { numRuns });
    const go = goRender(cases);
    const failing = cases
      .map((c, i) => ({ ...c, ours: ourRender(c), go: go[i] }))
      .filter((c) => JSON.stringify(c.ours) !== JSON.stringify(c.go));
    expect(failing.slice(0, 5)).toEqual([]);
  });
});

// reseal's quick scan of kubeseal-style YAML reads what the full YAML reader reads, or declines.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanSealedYaml, MAX_SCANNED_BYTES } from '../src/input/sealed-yaml-scan.js';
import { parseSource } from '@sealkit/core/manifest';
import { sealedEntries } from '../src/seal/sealed-values.js';

/** The full reader's documents that hold something, or undefined when it refuses the text. */
function fullRead(text: string): unknown[] | undefined {
  try {
    return parseSource(text, 'file')
      .documents.map((document) => document.value)
      .filter((value) => value !== null && value !== undefined);
  } catch {
    return undefined;
  }
}

/** The scan agrees with the full reader, and each recorded range holds exactly its value. */
function expectAgreement(text: string): void {
  const scanned = scanSealedYaml(text);
  if (!scanned) return;
  expect(fullRead(text)).toEqual(scanned.map((document) => document.value));
  for (const { value, values } of scanned) {
    const entries = new Map(sealedEntries(value));
    for (const [key, { start, end }] of values) expect(text.slice(start, end)).toBe(entries.get(key));
  }
}

const kubesealOutput = (name: string, eol = '\n') =>
  [
    '---',
    'apiVersion: bitnami.com/v1alpha1',
    'kind: SealedSecret',
    'metadata:',
    '  annotations:',
    '    sealedsecrets.bitnami.com/namespace-wide: "true"',
    '  creationTimestamp: null',
    `  name: ${name}`,
    '  namespace: prod',
    'spec:',
    '  encryptedData:',
    '    .dockerconfigjson: AgBy3i4OJSWK+PiTySYZZA==  # the registry',
    '    password: AgCZaIx/0s9C1dQd+f0kx5Ww==',
    '  template:',
    '    metadata:',
    '      creationTimestamp: null',
    `      name: ${name}`,
    "      namespace: 'prod'",
    '    type: Opaque',
    '',
  ].join(eol);

describe("reseal's quick scan", () => {
  it('reads kubeseal output (LF and CRLF, several documents, comments) as the full reader does, with the values where they stand', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = `# repository file${eol}${kubesealOutput('a', eol)}---${eol}# only a comment${eol}${kubesealOutput('b', eol)}`;
      const scanned = scanSealedYaml(text)!;
      expect(scanned).toHaveLength(2);
      expect(scanned[1]!.value).toMatchObject({
        metadata: { name: 'b', annotations: { 'sealedsecrets.bitnami.com/namespace-wide': 'true' }, creationTimestamp: null },
        spec: { template: { metadata: { namespace: 'prod' }, type: 'Opaque' } },
      });
      expect([...scanned[0]!.values.keys()]).toEqual(['.dockerconfigjson', 'password']);
      expectAgreement(text);
    }
  });

  it('records spec.data, the deprecated single value, but not values elsewhere', () => {
    const text =
      'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: x\nspec:\n  data: AgBx\n  template:\n    data:\n      a: b\n';
    expect([...scanSealedYaml(text)![0]!.values]).toEqual([[undefined, { start: text.indexOf('AgBx'), end: text.indexOf('AgBx') + 4 }]]);
    expectAgreement(text);
  });

  it.each([
    ['a flow mapping', 'metadata: {name: x}\n'],
    ['a list', 'items:\n- a: b\n'],
    ['an anchor', 'a: &x b\n'],
    ['a tag', 'a: !!str b\n'],
    ['a tab', 'a:\tb\n'],
    ['a key twice', 'a: b\na: c\n'],
    ['a boolean', 'a: true\n'],
    ['a number', 'a: 1\n'],
    ['a key the full reader reads as a float', 'spec:\n  encryptedData:\n    .5: AgBx\n    .5e1: AgBy\n'],
    ['an escape', 'a: "\\x41"\n'],
    ['a multi-line scalar', 'a: b\n  c\n'],
    ['a block scalar', 'a: |\n  b\n'],
    ['inconsistent indentation', 'a:\n    b: c\n  d: e\n'],
    ['an indented document', '  a: b\n'],
    ['a document end marker', 'a: b\n...\n'],
    ['a directive', '%YAML 1.1\n---\na: b\n'],
    ['a quoted sealed value', 'spec:\n  encryptedData:\n    a: "AgBx"\n'],
    ['a byte-order mark', '\uFEFFa: b\n'],
    ['a text too large to scan', `a: ${'b'.repeat(MAX_SCANNED_BYTES)}\n`],
  ])('declines %s', (_, text) => {
    expect(scanSealedYaml(text)).toBeUndefined();
  });

  it('agrees with the full reader wherever it accepts generated texts', () => {
    const key = fc.constantFrom('a', 'b', 'spec', 'encryptedData', 'data', 'null', 'yes', '.x', '.inf', 'k-1', 'True', '__proto__');
    const scalar = fc.constantFrom(
      ' AgB+/x==',
      ' v',
      ' null',
      ' ~',
      ' true',
      ' FALSE',
      ' "q"',
      " 'q'",
      ' "t#x"',
      ' v # c',
      ' v#c',
      ' 1',
      ' [a]',
      ' x:y',
      ' -',
    );
    // Mappings nested two spaces a level (as kubeseal writes), their keys sometimes repeated.
    const { mapping } = fc.letrec<{ mapping: string[] }>((tie) => ({
      mapping: fc
        .array(
          fc.tuple(
            key,
            fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 1, arbitrary: fc.constant('') }, { weight: 2, arbitrary: tie('mapping') }),
          ),
          {
            maxLength: 4,
          },
        )
        .map((entries) =>
          entries.flatMap(([k, value]) => (Array.isArray(value) ? [`${k}:`, ...value.map((line) => `  ${line}`)] : [`${k}:${value}`])),
        ),
    }));
    const junk = fc.constantFrom('', '# c', '   # c', '---', '--- # c', '---x', '  - a', 'plain', '\t', ' ', '   x: y');
    const text = fc
      .tuple(fc.array(mapping, { minLength: 1, maxLength: 3 }), fc.array(fc.tuple(fc.nat(), junk), { maxLength: 2 }))
      .map(([documents, insertions]) => {
        const lines = documents.flatMap((lines, index) => (index === 0 ? lines : ['---', ...lines]));
        for (const [at, line] of insertions) lines.splice(at % (lines.length + 1), 0, line);
        return lines;
      });
    let accepted = 0;
    fc.assert(
      fc.property(text, fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        accepted += scanSealedYaml(lines.join(eol)) ? 1 : 0;
        expectAgreement(lines.join(eol));
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(200); // the property says something
  });
});

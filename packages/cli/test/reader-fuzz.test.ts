// Fuzzing the manifest readers the CLI uses in-process (core's and packages/cli/src's modules, not the binary,
// so thousands of cases are cheap). Whatever the input, reading it gives documents or a SealkitError
// whose message is one line, holds no control character and never a value from the input (the
// canary) other than in a key the input has; nothing throws anything else. Short runs by default;
// SEALKIT_FUZZ_RUNS=100000 for long ones.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { isScalar, parseAllDocuments, stringify, visit, type Document } from 'yaml';
import { isSealedSecret, SealkitError } from '@sealkit/core';
import { isObject, parseManifests, parseSource, repeatedKeyOffset, type Manifests } from '@sealkit/core/manifest';
import { ManifestFile } from '../src/output/manifest-file.js';
import { applyMapEdit, type MapEdit } from '../src/output/map-edit.js';

const runs = Number(process.env.SEALKIT_FUZZ_RUNS ?? 300);
const timeout = 60_000 + runs * 100;
// The readers are synchronous, so a hang cannot be interrupted; a slow case fails instead, with its input.
const MAX_MS = 2000;
const CANARY = 'CANARY-5ee1-fuzz';
const CANARY64 = Buffer.from(CANARY).toString('base64');

/**
 * fc.assert of a synchronous check, yielding to the event loop before each case: a long run
 * would otherwise block vitest's messages with its worker until they time out.
 */
function check<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void, numRuns: number): Promise<void> {
  return fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      await new Promise(setImmediate);
      predicate(value);
    }),
    { numRuns },
  );
}

/** The keys of every mapping in `text`, read as YAML (as JSON is too). */
function keysOf(text: string): string[] {
  const keys: string[] = [];
  for (const document of parseAllDocuments(text))
    visit(document, { Pair: (_key, pair) => void (isScalar(pair.key) && keys.push(String(pair.key.value))) });
  return keys;
}

/**
 * Whether a key named in `message` ("…key "name"…", cut with "…" when long) is one `text` has:
 * keys are names and may be named, even when the input put a value where a key goes.
 */
function namesInputKey(message: string, text: string): boolean {
  const quoted = /key ("(?:[^"\\]|\\.)*")/.exec(message)?.[1];
  if (!quoted) return false;
  const named = JSON.parse(quoted) as string;
  return keysOf(text).some((key) => key === named || (named.endsWith('…') && key.startsWith(named.slice(0, -1))));
}

/** Reads `text` as the CLI does: the manifests, or the message of the SealkitError it was refused with. */
function read(text: string): Manifests | string {
  const started = performance.now();
  try {
    return parseManifests(text, 'input');
  } catch (error) {
    if (!(error instanceof SealkitError)) throw error;
    expect(error.message).toMatch(/^[A-Z][^\u0000-\u001f\u007f]*\.$/);
    if (!namesInputKey(error.message, text)) {
      expect(error.message).not.toContain(CANARY);
      expect(error.message).not.toContain(CANARY64);
    }
    return error.message;
  } finally {
    expect(performance.now() - started).toBeLessThan(MAX_MS);
  }
}

/** Bytes as input.ts turns them into text. */
const decode = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

// What YAML and JSON parsers trip on, so that random strings reach past the first character.
const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ': ',
  ', ',
  '- ',
  '"',
  "'",
  '\\',
  '&a ',
  '*a',
  '&b ',
  '*b',
  '!!str ',
  '!!binary ',
  '!!map ',
  '!!set ',
  '!x ',
  '? ',
  '| ',
  '> ',
  '# ',
  '<<: ',
  '%YAML 1.1\n',
  '---\n',
  '...\n',
  '\n',
  '\r\n',
  '  ',
  '\t',
  '\0',
  '\uFEFF',
  '\uFFFD',
  'kind: ',
  'Secret',
  'List',
  'items',
  'data',
  'stringData',
  'metadata',
  'name',
  'x',
  '1',
  'null',
  '~',
];
const tokenText = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((parts) => parts.join(''));

// Kubernetes-shaped objects: Secrets (and others) with odd fields and keys, some in Lists.
const key = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('password', 'tls.crt', '', '.', '..x', 'a/b', 'a b', '<<', '__proto__', 'x'.repeat(254), 'kind', 'items'),
);
const object = fc.record(
  {
    apiVersion: fc.constantFrom('v1', 'v2', 1),
    kind: fc.constantFrom('Secret', 'ConfigMap', 'secret', 'List', 'SecretList'),
    metadata: fc.oneof(fc.record({ name: fc.string(), namespace: fc.string() }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 2 })),
    data: fc.oneof(fc.dictionary(key, fc.constant(CANARY64)), fc.jsonValue({ maxDepth: 2 })),
    stringData: fc.oneof(fc.dictionary(key, fc.constant(CANARY)), fc.jsonValue({ maxDepth: 2 })),
    items: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);
const manifest = fc.oneof(
  object,
  fc.array(object, { maxLength: 3 }).map((items) => ({ apiVersion: 'v1', kind: 'List', items })),
  fc.jsonValue({ maxDepth: 3 }),
);

/** The same outcome, whichever way it was written: equal objects, or the same refusal. */
const outcome = (result: Manifests | string) => (typeof result === 'string' ? result : JSON.stringify(result));

// Valid manifests carrying the canary in values, to be mutated.
const SECRET_YAML = `# a Secret\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: n\n  annotations: {note: "${CANARY}"}\ntype: Opaque\ndata:\n  token: ${CANARY64}\nstringData:\n  password: ${CANARY}\n  block: |\n    ${CANARY}\n`;
const SECRET_JSON = JSON.stringify(
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'n' },
    data: { token: CANARY64 },
    stringData: { password: CANARY },
  },
  null,
  2,
);
const VALID = [
  SECRET_YAML,
  SECRET_JSON,
  `${SECRET_JSON}\n${SECRET_JSON.replace('"s"', '"t"')}\n`,
  `${SECRET_YAML}---\n${SECRET_YAML.replace('name: s', 'name: t')}`,
  `apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: s}, stringData: {password: '${CANARY}'}}\n- apiVersion: v1\n  kind: Secret\n  metadata: &m {name: t, namespace: n}\n  stringData: {password: "${CANARY}", other: *m}\n`,
  `{"apiVersion":"v1","kind":"List","items":[${SECRET_JSON},${SECRET_JSON}]}`,
  `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: s, namespace: n}\nspec:\n  encryptedData:\n    password: AgBy${CANARY64}==\n  template:\n    metadata: {name: s, namespace: n}\n`,
];

/** One of `texts` after up to 4 edits: deletions, insertions of parser tokens, copies and cuts. */
const mutated = (texts: string[], minLength = 1) =>
  fc
    .tuple(
      fc.constantFrom(...texts),
      fc.array(fc.tuple(fc.constantFrom('delete', 'insert', 'copy', 'cut'), fc.nat(), fc.nat(), fc.constantFrom(...TOKENS)), {
        minLength,
        maxLength: 4,
      }),
    )
    .map(([text, edits]) =>
      edits.reduce((out, [edit, a, b, token]) => {
        const at = a % (out.length + 1);
        if (edit === 'delete') return out.slice(0, at) + out.slice(at + 1 + (b % 3));
        if (edit === 'insert') return out.slice(0, at) + token + out.slice(at);
        if (edit === 'copy')
          return out.slice(0, at) + out.slice(b % (out.length + 1), (b % (out.length + 1)) + 1 + (b % 40)) + out.slice(at);
        return out.slice(0, at);
      }, text),
    );

// SealedSecret files in the shapes --merge-into and edit meet: comments, block scalars, flow
// maps, anchors, CRLF, several documents, a missing or scalar template, JSON.
const SEALED = `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: s\n  namespace: n\nspec:\n  encryptedData:\n    b: AgBB # comment\n    d: |\n      AgDD\n  template:\n    metadata:\n      labels: {x: y}\n      name: s\n`;
const HEAD = 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: s}\n';
const SEALED_FILES = [
  SEALED,
  `# two\n${SEALED}---\n${SEALED.replace(/\n/g, '\r\n')}`,
  `${HEAD}spec: {encryptedData: {a: x}, template: {metadata: {}}}\n`,
  `${HEAD}spec:\n  encryptedData: &e {a: x, b: &q y}\n  template: 7\n`,
  `${HEAD}spec:\n  encryptedData:\n    a: x\n  other: &o {p: q}\n  template: {metadata: *o}\n`,
  `%YAML 1.1\n---\n${HEAD}spec:\n  encryptedData:\n    "a": 'x'\n    ? b\n    : y\n  template: {}\n...\n`,
  `${HEAD}spec:\n    encryptedData:\n        a: >-\n            folded\n            text\n        c: x\n# trailing\n`,
  `${HEAD}spec:\n  encryptedData:\n  template:\n    metadata: &m\n      labels:\n        a: b\n`,
  `${HEAD}spec: {}\n`,
  JSON.stringify(
    { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 's' }, spec: { encryptedData: { b: 'x' } } },
    null,
    2,
  ),
];

/**
 * Whether a YAML document is as Kubernetes objects are: every key text (edits find pairs by
 * it) and no tag on a mapping or list (a "!!set" would type what an edit adds to it).
 */
function isPlain(document: Document.Parsed | undefined): boolean {
  let plain = true;
  if (document) {
    visit(document, {
      Pair: (_key, pair) => void (plain &&= isScalar(pair.key) && pair.key.value !== null),
      Collection: (_key, node) => void (plain &&= !node.tag),
    });
  }
  return plain;
}

describe('reading manifests', () => {
  it(
    'arbitrary bytes, with or without a byte-order mark',
    async () => {
      const bom = fc.constantFrom([], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]);
      await check(
        fc.tuple(bom, fc.uint8Array({ maxLength: 2000 })),
        ([mark, bytes]) => void read(decode(Uint8Array.from([...mark, ...bytes]))),
        runs,
      );
    },
    timeout,
  );

  it(
    'arbitrary strings, and strings of YAML and JSON tokens',
    async () => {
      await check(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), tokenText), (text) => void read(text), runs * 3);
    },
    timeout,
  );

  it(
    'mutated valid manifests never echo their values',
    async () => {
      await check(mutated(VALID), (text) => void read(text), runs * 5);
    },
    timeout,
  );

  it(
    'the same documents written as JSON, as YAML or as a stream read the same',
    async () => {
      await check(
        fc.array(manifest, { minLength: 1, maxLength: 3 }),
        (documents) => {
          // A JSON stream is of objects and arrays: "1\n2" is one YAML scalar, not two numbers.
          fc.pre(documents.length === 1 || documents.every((document) => typeof document === 'object' && document !== null));
          const yaml = outcome(read(documents.map((document) => stringify(document)).join('---\n')));
          expect(outcome(read(documents.map((document) => JSON.stringify(document)).join('\n')))).toBe(yaml);
          expect(outcome(read(documents.map((document) => JSON.stringify(document, null, 2)).join('\n')))).toBe(yaml);
          // "--- " first: sealkit, like kubectl, reads a text that starts with "{" or "[" as JSON.
          expect(outcome(read(documents.map((document) => `--- ${stringify(document, { collectionStyle: 'flow' })}`).join('')))).toBe(yaml);
        },
        runs * 3,
      );
    },
    timeout,
  );
});

describe('editing a file in place', () => {
  it(
    'changes what the edits say and nothing else, and the file stays readable',
    async () => {
      const key = fc.constantFrom('a', 'b', 'd', 'z', 'tls.crt', '0');
      const edits = fc
        .tuple(
          fc.dictionary(key, fc.constantFrom('AgNEW', 'Ag+/=', '')),
          fc.array(key, { maxLength: 2 }),
          fc.dictionary(key, fc.constantFrom('v', 'true', 'a b')),
        )
        .map(([set, remove, labels]): MapEdit[] => [
          // As --merge-into and edit make them: a key is set or removed, not both.
          { path: ['spec', 'encryptedData'], set, remove: remove.filter((k) => !(k in set)) },
          { path: ['spec', 'template', 'metadata', 'labels'], set: labels },
        ]);
      await check(
        fc.tuple(mutated(SEALED_FILES, 0), edits),
        ([text, edit]) => {
          // yaml reads a lone carriage return at the end of a value into it, but not once a line follows.
          fc.pre(!/\r(?!\n)/.test(text));
          let file: ManifestFile;
          try {
            file = new ManifestFile(text, 'file');
          } catch (error) {
            if (error instanceof SealkitError) return;
            throw error;
          }
          // The document --merge-into would pick.
          const index = file.documents.findIndex(({ value }) => isSealedSecret(value) && isObject(value.spec));
          fc.pre(index >= 0 && isPlain(file.documents[index]!.yaml));
          const before = file.documents.map(({ value }) => value);
          file.edit(index, edit);
          const after = parseSource(file.toString(), 'edited file').documents.map(({ value }) => value);
          const expected = before.map((value, i) => (i === index ? edit.reduce(applyMapEdit, value as Record<string, unknown>) : value));
          expect(JSON.stringify(after)).toBe(JSON.stringify(expected));
        },
        runs * 5,
      );
    },
    timeout,
  );
});

describe('editing a file in place, cases the fuzzer found', () => {
  it('removes a key whose value is a mapping of explicit keys without taking the next line with it', () => {
    // That value's range runs into the indentation of the next line ("  template: {}").
    const text =
      "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: s}\nspec:\n  encryptedData:\n    a: 'x'\n    ? b\n    : ? y\n  template: {}\n";
    const file = new ManifestFile(text, 'file');
    file.edit(0, [{ path: ['spec', 'encryptedData'], set: {}, remove: ['b'] }]);
    expect(file.toString()).toBe(
      "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: s}\nspec:\n  encryptedData:\n    a: 'x'\n  template: {}\n",
    );
  });
});

describe('reading manifests, deterministic cases', () => {
  it('refuses a billion-laughs bomb quickly', () => {
    const levels = 'abcdefghi'.split('');
    const bomb = levels
      .map(
        (name, i) =>
          `${name}: &${name} [${Array(9)
            .fill(i === 0 ? `"${CANARY}"` : `*${levels[i - 1]}`)
            .join(', ')}]`,
      )
      .join('\n');
    const started = performance.now();
    expect(read(bomb)).toMatch(/^The input uses too many YAML aliases/);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses a list or mapping as a key without saying what it holds, and prints no warning', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      expect(read(`kind: Secret\nstringData:\n  ? [${CANARY}]\n  : x\n`)).toBe(
        'The input has a list or mapping as a key at line 3, column 5; keys must be text.',
      );
      expect(read(`a: &k {p: ${CANARY}}\nb:\n  ? *k\n  : x\n`)).toMatch(/list or mapping as a key at line 3, column 5/);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('does not name a key that holds its value, as a forgotten ": " in a flow mapping makes one', () => {
    const refusal =
      'The stringData of Secret "s" in the input has an entry with no value and an invalid key; if a ": " is missing between its key and value, add it.';
    expect(read(`kind: Secret\nmetadata: {name: s}\nstringData: {password:${CANARY}}\n`)).toBe(refusal);
    expect(read(`kind: Secret\nmetadata: {name: s}\nstringData: {password '${CANARY}'}\n`)).toBe(refusal);
  });

  it('refuses a YAML 1.1 merge of something other than a mapping', () => {
    expect(read(`%YAML 1.1\n---\nkind: Secret\nstringData:\n  <<: ${CANARY}\n`)).toBe(
      'The input merges (<<) something that is not a mapping; merge only mappings.',
    );
    expect(read('%YAML 1.1\n---\nbase: &b {type: Opaque}\nkind: Secret\n<<: *b\n')).toMatchObject({
      objects: [{ kind: 'Secret', type: 'Opaque' }],
    });
  });

  it('finds a repeated JSON key, however it is escaped, and only within one object', () => {
    expect(repeatedKeyOffset('{"a":1,"\\u0061":2}')).toBe(7);
    expect(repeatedKeyOffset('{"a":{"a":1},"b":[{"a":1},{"a":"a"}],"c":"\\"a"}')).toBeUndefined();
    expect(repeatedKeyOffset('[{"a":{"b":1,"c":2},"d":[1,{"e":1}],"a":3}]')).toBe(36);
  });
});

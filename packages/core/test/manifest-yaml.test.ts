// core's bounded YAML reader: hostile text fails within a second with a SealkitError that
// quotes nothing of it; what Kubernetes objects cannot hold is refused, not dropped.
import { describe, expect, it } from 'vitest';
import { SealkitError } from '../src/platform/errors.js';
import { readYamlDocuments } from '../src/manifest/index.js';
import { CANARY, HOSTILE_YAML } from '../../../test/hostile/yaml-bombs.js';

function refusal(text: string): SealkitError {
  try {
    readYamlDocuments(text, { what: 'input' });
  } catch (error) {
    if (error instanceof SealkitError) return error;
    throw error;
  }
  throw new Error('the text was read');
}

describe('readYamlDocuments', () => {
  for (const [name, text] of Object.entries(HOSTILE_YAML)) {
    it(`refuses ${name} within a second, quoting nothing`, () => {
      const started = performance.now();
      const error = refusal(text);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(error.code).toBe('bad-input');
      expect(error.message).toMatch(/^The input (has|is|uses) [^\n]*\.$/);
      expect(error.message).not.toContain(CANARY);
      expect(error.message).not.toMatch(/!a|\*a|&a|\[\[/);
    });
  }

  it('names the excess and where it is', () => {
    expect(refusal(HOSTILE_YAML['brackets-4mib']!).message).toBe(
      'The input has lists or mappings nested more than 500 deep at line 1, column 501, more than any manifest needs.',
    );
    expect(refusal(`a:\n${'- '.repeat(600)}x\n`).message).toMatch(/nested more than 500 deep at line 2/);
    expect(refusal('x'.repeat((4 << 20) + 1)).message).toMatch(/larger than 4096 KiB/);
  });

  it('reads what it bounds: nesting, aliases and keys below the limits', () => {
    const nested = `${'['.repeat(400)}1${']'.repeat(400)}`;
    expect(JSON.stringify(readYamlDocuments(nested, { what: 'input' })[0]!.value)).toBe(nested);
    const aliases = `a: &a x\nb: [${Array(90).fill('*a').join(',')}]\n`;
    expect((readYamlDocuments(aliases, { what: 'input' })[0]!.value as { b: string[] }).b).toHaveLength(90);
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i}: v`).join('\n');
    expect(Object.keys(readYamlDocuments(keys, { what: 'input' })[0]!.value as object)).toHaveLength(5000);
  });

  it('refuses a key twice in one mapping, however far apart, and only within one mapping', () => {
    expect(refusal(`a: 1\nb: {a: 1}\nc: 2\na: ${CANARY}\n`).message).toBe(
      'The input is not valid YAML: a key appears twice in one mapping at line 4, column 1.',
    );
    expect(refusal('{1: a, "1": b}').message).toMatch(/a key appears twice/);
    expect(readYamlDocuments('a: {x: 1}\nb: {x: 1}\n', { what: 'input' })).toHaveLength(1);
  });

  it('refuses a YAML 1.1 !!set, !!omap or !!pairs instead of reading it as nothing', () => {
    for (const tag of ['!!set', '!!omap', '!!pairs']) {
      const body = tag === '!!set' ? `? ${CANARY}\n` : `- ${CANARY}: x\n`;
      const text = `%YAML 1.1\n---\nstringData: ${tag}\n${body.replace(/^/gm, '  ')}`;
      expect(refusal(text).message).toMatch(
        /^The input has a YAML !!set, !!omap or !!pairs at line 4, column 3; write a plain mapping instead\.$/,
      );
    }
  });
});

// Agreement with Go: all 529 cases of test/vectors/gotemplate-go.json, rendered by Bitnami v0.36.6's own
// rendering lines (Go text/template + sprig v3.3.0), must come out byte for byte the same, or fail where Go fails.
import { describe, expect, it } from 'vitest';
import { vectorJson } from '../../../test/vectors/vectors.js';
import { GoTemplateError, renderTemplate } from '../src/index.js';
import { type GoBytes, type GoResult, fromGoBytes, toGoBytes } from './go-bytes.js';

interface GoCase extends GoResult {
  id: string;
  template: string;
  values: Record<string, GoBytes>;
  goError?: string;
}
const { templateName, cases } = vectorJson<{ templateName: string; cases: GoCase[] }>('gotemplate-go.json');

/** Our outcome in the vectors' shape. */
function renderLikeGo(name: string, template: string, values: Record<string, GoBytes>): GoResult {
  const bytes = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, fromGoBytes(v)]));
  try {
    // derivePassword's scrypt takes ~0.4 s here (60 ms in Go): a case with three of them needs more than the default second.
    return { output: toGoBytes(renderTemplate(name, template, bytes, { deadlineMs: 10_000 })), error: false };
  } catch (e) {
    if (!(e instanceof GoTemplateError) || e.code !== 'invalid-template') throw e;
    return { output: '', error: true };
  }
}

describe('Go text/template + sprig vectors', () => {
  it('has the 529 cases', () => expect(cases).toHaveLength(529));

  const expected = (c: GoCase): GoResult => (c.error ? { output: '', error: true } : { output: c.output, error: false });
  it.each(cases.map((c) => [c.id, c] as const))('%s agrees', (_, c) => {
    expect({ template: c.template, ...renderLikeGo(templateName, c.template, c.values) }).toEqual({ template: c.template, ...expected(c) });
  });
});

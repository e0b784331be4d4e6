// core's kubeseal-exact writer without Node: Go's map key order in JSON (UTF-8 bytes, not UTF-16
// units) and go-yaml's in YAML, and YAML 1.1's quoting. test/cli/kubeseal-differential.test.ts
// compares the whole output with the real kubeseal's.
import { describe, expect, it } from 'vitest';
import { renderObject } from '../src/manifest/index.js';

const sealed = (labels: Record<string, string>) => ({
  apiVersion: 'bitnami.com/v1alpha1',
  kind: 'SealedSecret',
  metadata: { name: 's', namespace: 'n', labels },
  spec: { encryptedData: {}, template: { metadata: { name: 's', namespace: 'n' } } },
});

describe('renderObject', () => {
  it("writes a Go map's keys in JSON in UTF-8 byte order: U+FFFF before an emoji, which UTF-16 order puts first", () => {
    const labels = { '😀': '1', '\uffff': '2', a: '3', B: '4', '\u00e9': '5' };
    const json = JSON.parse(renderObject(sealed(labels), 'json')) as { metadata: { labels: object } };
    expect(Object.keys(json.metadata.labels)).toEqual(['B', 'a', '\u00e9', '\uffff', '😀']);
  });

  it("quotes YAML 1.1's booleans and orders keys as go-yaml does (key2 before key10)", () => {
    const yaml = renderObject(sealed({ key10: 'on', key2: 'no', key1: 'y', plain: 'onward' }), 'yaml');
    expect(yaml).toContain('  labels:\n    key1: "y"\n    key2: "no"\n    key10: "on"\n    plain: onward\n');
    expect(yaml.startsWith('---\napiVersion: bitnami.com/v1alpha1\n')).toBe(true);
  });
});

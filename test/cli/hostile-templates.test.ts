// Issue 12, item 2, through the built CLI: unsealing a SealedSecret whose template costs
// minutes of CPU ends within seconds with one clear line (the worker's deadline), and a
// fine template still renders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKeyFiles, Sandbox, type KeyFiles } from './helpers.js';

const sandbox = new Sandbox();
let keys: KeyFiles;
beforeAll(async () => {
  keys = await makeKeyFiles(sandbox);
});
afterAll(() => sandbox.cleanup());

const sealedWithTemplate = (template: string) =>
  JSON.stringify({
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { name: 's', namespace: 'n' },
    spec: { encryptedData: {}, template: { metadata: { name: 's', namespace: 'n' }, data: { x: template } } },
  });

describe.concurrent('unsealing hostile templates', () => {
  for (const [name, template] of Object.entries({
    uniq: '{{ until 25000 | uniq | len }}',
    captures: `{{ regexFindAll "${'(a)'.repeat(1000)}" (repeat 3000 "a") -1 | len }}`,
  })) {
    it(`ends ${name} within seconds with a clear error`, async () => {
      const file = sandbox.write(`${name}.json`, sealedWithTemplate(template));
      const started = performance.now();
      const result = await sandbox.run(['unseal', '--key', keys.keyFile, file]);
      expect(performance.now() - started).toBeLessThan(8000);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^error: [^\n]*Rendering spec\.template\.data (took longer than 5 s|needed more than \d+ MiB); simplify the templates\.\n$/);
    });
  }

  it('still renders a fine template, and exits at once', async () => {
    const file = sandbox.write('fine.json', sealedWithTemplate('{{ "ok" | upper }}'));
    const started = performance.now();
    const result = await sandbox.run(['unseal', '--key', keys.keyFile, '-o', 'json', file]);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).data).toEqual({ x: Buffer.from('OK').toString('base64') });
  });
});

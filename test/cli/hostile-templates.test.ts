// Issue 12, item 2, through the built CLI: unsealing a SealedSecret whose template cost
// minutes of CPU ends within seconds with one clear line (the engine's budget or clock,
// else the worker's deadline), and templates that used to be slow now render at once.
import { describe, expect, it } from 'vitest';
import { sealedWithTemplate, useSandboxWithKeys } from './helpers.js';

const { sandbox, keys } = useSandboxWithKeys();

/** The engine's refusal (budget or clock, whichever this machine reaches first), or the worker's deadline or heap cap. */
const REFUSED =
  /^error: (template: x: rendering (took longer than allowed|needs more work or output than allowed); simplify the template|[^\n]*Rendering spec\.template\.data (took longer than 5 s|needed more than \d+ MiB); simplify the templates\.)\n$/;

describe.concurrent('unsealing hostile templates', () => {
  it('ends uniq (quadratic) within seconds with a clear error', async () => {
    const file = sandbox.write('uniq.json', sealedWithTemplate('{{ until 25000 | uniq | len }}'));
    const started = performance.now();
    const result = await sandbox.run(['unseal', '--key', keys.keyFile, file]);
    expect(performance.now() - started).toBeLessThan(8000);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(REFUSED);
  });

  it('renders 1,000 capture groups within seconds (captures are no longer copied per step)', async () => {
    const file = sandbox.write(
      'captures.json',
      sealedWithTemplate(`{{ regexFindAll "${'(a)'.repeat(1000)}" (repeat 3000 "a") -1 | len }}`),
    );
    const started = performance.now();
    const result = await sandbox.run(['unseal', '--key', keys.keyFile, '-o', 'json', file]);
    expect(performance.now() - started).toBeLessThan(8000);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout).data).toEqual({ x: Buffer.from('3').toString('base64') });
  });

  it('still renders a fine template, and exits at once', async () => {
    const file = sandbox.write('fine.json', sealedWithTemplate('{{ "ok" | upper }}'));
    const started = performance.now();
    const result = await sandbox.run(['unseal', '--key', keys.keyFile, '-o', 'json', file]);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).data).toEqual({ x: Buffer.from('OK').toString('base64') });
  });
});

// Issue 12, item 1, through the built CLI: each hostile YAML text fails within about a
// second (plus the process's start-up) with one clear line, as input to seal, to
// --recovery-unseal and as a key backup, and quotes nothing of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, HOSTILE_YAML } from '../hostile/yaml-bombs.js';
import { makeKeyFiles, Sandbox, type KeyFiles } from './helpers.js';

const sandbox = new Sandbox();
let keys: KeyFiles;
beforeAll(async () => {
  keys = await makeKeyFiles(sandbox);
});
afterAll(() => sandbox.cleanup());

// Start-up is ~0.3 s alone; two cores shared with other work make it vary.
const MAX_MS = 2500;

describe.concurrent('hostile YAML through the CLI', () => {
  for (const [name, text] of Object.entries(HOSTILE_YAML)) {
    it(`refuses ${name} quickly`, async () => {
      const file = sandbox.write(`${name}.yaml`, text);
      for (const args of [
        ['--cert', keys.certFile, '-o', 'yaml', '-f', file],
        ['--recovery-unseal', '--recovery-private-key', keys.keyFile, '-f', file],
        ['--recovery-unseal', '--recovery-private-key', file, '-f', file],
      ]) {
        const started = performance.now();
        const result = await sandbox.run(args);
        expect(performance.now() - started, args.join(' ')).toBeLessThan(MAX_MS);
        expect(result.code).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(/^error: The (input|key text|file "[^"]*") (has|is|uses) [^\n]*\.\n$/);
        expect(result.stderr).not.toContain(CANARY);
      }
    });
  }
});

// Oversized input is refused with one clear line instead of being read into memory.
import { truncateSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, makeKeyFiles, type KeyFiles } from './helpers.js';

let sandbox: Sandbox;
let keys: KeyFiles;
beforeAll(async () => {
  sandbox = new Sandbox();
  keys = await makeKeyFiles(sandbox);
});
afterAll(() => sandbox.cleanup());

describe('oversized input', () => {
  it('refuses 100 MB on stdin', async () => {
    const result = await sandbox.run(['--cert', keys.certFile], { input: 'A'.repeat(100_000_000) });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: The input is larger than 64 MiB; Secrets are at most 1 MiB each, so split it or check what is being piped in.\n');
  });

  it('refuses a file over 64 MiB without reading it', async () => {
    const file = sandbox.write('huge.yaml', '');
    truncateSync(file, 100_000_000); // sparse: costs no disk
    const result = await sandbox.run(['--cert', keys.certFile, '-f', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: The .* "[^"]*huge\.yaml" is larger than 64 MiB; that is not a manifest or key file\.\n$/);
  });
});

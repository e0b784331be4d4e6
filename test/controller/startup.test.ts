// Started outside a cluster with nothing to connect with, the controller says so and how to fix it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './harness.js';

describe('start-up without a cluster', () => {
  it('names the missing kubeconfig and service account, and the --kubeconfig flag', () => {
    const home = mkdtempSync(join(tmpdir(), 'sealkit-home-'));
    try {
      const env = { PATH: process.env.PATH, HOME: home };
      const run = spawnSync(
        process.execPath,
        [
          join(repoRoot, 'packages/controller/bin/sealkit-controller.js'),
          '--listen-addr',
          '127.0.0.1:0',
          '--listen-metrics-addr',
          '127.0.0.1:0',
        ],
        { env, encoding: 'utf8', timeout: 20_000 },
      );
      expect(run.status).toBe(1);
      const output = run.stdout + run.stderr;
      expect(output).toMatch(/Found neither a kubeconfig .* nor an in-cluster service account/);
      expect(output).toContain('--kubeconfig PATH');
      expect(output).not.toMatch(/skipTLSVerify|\n\s+at /);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

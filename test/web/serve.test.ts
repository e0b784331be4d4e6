// examples/web/serve.mjs as a user runs it: help, and mistakes in one sentence without a stack trace.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const serve = fileURLToPath(new URL('../../examples/web/serve.mjs', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [serve, ...args], { encoding: 'utf8', timeout: 10_000 });

describe('examples/web/serve.mjs', () => {
  it('prints its usage for --help and -h', () => {
    for (const flag of ['--help', '-h']) {
      const { status, stdout, stderr } = run(flag);
      expect(status).toBe(0);
      expect(stdout).toMatch(/^Serves the built sealing page/);
      expect(stdout).toContain('--cert FILE');
      expect(stderr).toBe('');
    }
  });

  it.each([
    [['--bogus'], 2, /^serve\.mjs: Unknown option '--bogus' \(see --help\)\n$/],
    [['--port', 'eighty'], 2, /^serve\.mjs: --port needs a number from 0 to 65535\.\n$/],
    [['--cert', '/nonexistent/cert.pem'], 1, /^serve\.mjs: cannot read the certificate file \/nonexistent\/cert\.pem \(ENOENT\)\.\n$/],
  ])('refuses %j with one sentence and exit code %i', (args, code, message) => {
    const { status, stdout, stderr } = run(...args);
    expect(status).toBe(code);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });
});

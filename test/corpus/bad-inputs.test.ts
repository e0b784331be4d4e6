// The bad-input corpus: every file in test/corpus/bad-inputs/ is run through the built sealkit
// (`pnpm build` first) with the arguments cases.json gives it. Each must fail with its exit code
// and exactly one clear line on stderr, no stack trace, nothing on stdout, and never the canary
// secret value (plain or base64) the inputs carry. Cases with a `knownBug` are what the CLI gets
// wrong today: they run as it.fails, so they flip (and fail) once fixed — then drop the knownBug.
// Regenerate the files with `node test/corpus/make-bad-inputs.mjs`.
import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../cli/helpers.js';

const corpus = join(dirname(fileURLToPath(import.meta.url)), 'bad-inputs');
const fixtures = join(corpus, 'fixtures');

interface CorpusCase {
  file: string;
  args: string[];
  exitCode: number;
  /** A regex source the stderr line (without its "error: " prefix) must match. */
  stderr: string;
  knownBug?: string;
}

const manifest = JSON.parse(readFileSync(join(corpus, 'cases.json'), 'utf8')) as { canary: string; cases: CorpusCase[] };
const CANARY = manifest.canary;
const secrets = [
  CANARY,
  Buffer.from(CANARY).toString('base64'),
  // The valid fixture key's body must not be echoed either.
  readFileSync(join(fixtures, 'key.pem'), 'utf8').split('\n')[1]!,
];
const placeholders: Record<string, string> = {
  '{cert}': join(fixtures, 'cert.pem'),
  '{key}': join(fixtures, 'key.pem'),
  '{secret}': join(fixtures, 'secret.yaml'),
  '{sealed}': join(fixtures, 'sealed.yaml'),
};
const corpusFiles = () => readdirSync(corpus).filter((name) => name !== 'cases.json' && statSync(join(corpus, name)).isFile());

// Git checks files out 0644, and sealkit rightly warns about readable private keys; the
// corpus is about what is wrong inside the files, so its key files get a private key's mode.
for (const dir of [corpus, fixtures])
  for (const name of readdirSync(dir)) if (name.endsWith('.pem') || name.endsWith('.yaml')) chmodSync(join(dir, name), 0o600);

const sandbox = new Sandbox();
afterAll(() => sandbox.cleanup());

describe('the bad-input corpus', () => {
  const before = corpusFiles().sort();

  it('has at least 60 input files, each with exactly one case', () => {
    expect(before.length).toBeGreaterThanOrEqual(60);
    expect(manifest.cases.map((c) => c.file).sort()).toEqual(before);
    expect(readFileSync(join(corpus, 'huge-single-line.json')).length).toBeGreaterThan(2 * 1024 * 1024);
  });

  describe.concurrent('each file', () => {
    for (const c of manifest.cases) {
      const test = c.knownBug ? it.fails : it;
      const title = c.knownBug ? `${c.file} (known bug: ${c.knownBug})` : c.file;
      test(title, async () => {
        const args = c.args.map((arg) => (arg === '{file}' ? join(corpus, c.file) : (placeholders[arg] ?? arg)));
        const result = await sandbox.run(args);
        // The canary first: a leak is the worst outcome, whatever else happened.
        for (const secret of secrets) {
          expect(result.stdout, 'a secret on stdout').not.toContain(secret);
          expect(result.stderr, 'a secret on stderr').not.toContain(secret);
        }
        expect(result.stderr, 'a stack trace').not.toMatch(/\n\s+at |^\s*at .+:\d+:\d+\)?$/m);
        expect(result.stderr, 'a raw node error').not.toMatch(/^(\w*Error|node:internal)|^Uncaught/m);
        expect(result.code).toBe(c.exitCode);
        expect(result.stdout).toBe('');
        expect(result.stderr, 'exactly one non-empty line').toMatch(/^error: [^\n]*\S[^\n]*\n$/);
        expect(result.stderr.slice('error: '.length, -1)).toMatch(new RegExp(c.stderr));
      });
    }
  });

  it('leaves the corpus as it was (no temporary or output files)', () => {
    expect(corpusFiles().sort()).toEqual(before);
  });
});

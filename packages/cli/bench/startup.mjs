// CLI start-up: median wall time of sealing one Secret with `sealkit --cert c.pem -o yaml`
// against `node -e 0`, measured side by side (interleaved) in this run. Goal: at most
// node -e 0 + 60 ms. Prints figures, never fails. Run by `pnpm bench` or on its own:
//   node packages/cli/bench/startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const bin = join(here, '..', 'bin', 'sealkit.js');
const secretFile = join(here, '..', '..', '..', 'examples', 'secret.yaml');
const GOAL_MS = 60;

function wallMs(args, input) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${String(result.stderr).trim()}`);
  return elapsed;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

export default async function benchStartup(runs = Number(process.argv[2]) || 31) {
  console.log(`\n== cli: start-up, sealing one Secret with --cert (median of ${runs} interleaved runs) ==`);
  const scratch = mkdtempSync(join(tmpdir(), 'sealkit-bench-'));
  try {
    const { generateKeyPair } = await import('@sealkit/core');
    const certificate = join(scratch, 'cert.pem');
    writeFileSync(certificate, (await generateKeyPair({ bits: 4096 })).certificatePem);
    const secret = readFileSync(secretFile);
    const baseline = [];
    const sealing = [];
    wallMs([bin, '--cert', certificate, '-o', 'yaml'], secret); // warm the file cache
    for (let i = 0; i < runs; i++) {
      baseline.push(wallMs(['-e', '0']));
      sealing.push(wallMs([bin, '--cert', certificate, '-o', 'yaml'], secret));
    }
    const node = median(baseline);
    const sealkit = median(sealing);
    const overhead = sealkit - node;
    console.log(`${'node -e 0'.padEnd(46)} ${node.toFixed(1).padStart(10)} ms`);
    console.log(`${'sealkit --cert c.pem -o yaml < secret.yaml'.padEnd(46)} ${sealkit.toFixed(1).padStart(10)} ms`);
    console.log(`${'difference'.padEnd(46)} ${overhead.toFixed(1).padStart(10)} ms  (goal <= ${GOAL_MS} ms: ${overhead <= GOAL_MS ? 'met' : 'NOT met'})`);
    return { node, sealkit, overhead };
  } catch (error) {
    console.log(`start-up benchmark skipped: ${error instanceof Error ? error.message : error}`);
    return undefined;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchStartup();

// The single-file executable (dist-sea/sealkit, built by scripts/build-sea.mjs if
// missing): its size, and its start-up sealing one Secret against `node -e 0` and the
// npm package's bin, medians of interleaved runs in this same run. Prints, never fails.
//   node packages/cli/bench/sea.mjs [runs]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const executable = join(here, '..', 'dist-sea', 'sealkit');
const bin = join(here, '..', 'bin', 'sealkit.js');
const secret = readFileSync(join(here, '..', '..', '..', 'examples', 'secret.yaml'));

function wallMs(command, args, input) {
  const start = performance.now();
  const result = spawnSync(command, args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${String(result.stderr).trim()}`);
  return elapsed;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

export default async function benchSea(runs = Number(process.argv[2]) || 21) {
  console.log(`\n== cli: single-file executable (Node SEA), median of ${runs} interleaved runs ==`);
  const scratch = mkdtempSync(join(tmpdir(), 'sealkit-bench-sea-'));
  try {
    if (!existsSync(executable))
      execFileSync(process.execPath, [join(here, '..', 'scripts', 'build-sea.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
    const { generateKeyPair } = await import('@sealkit/core');
    const certificate = join(scratch, 'cert.pem');
    writeFileSync(certificate, (await generateKeyPair({ bits: 4096 })).certificatePem);
    const sealArgs = ['--cert', certificate, '-o', 'yaml'];
    const times = { node: [], sea: [], seaVersion: [], npm: [] };
    wallMs(executable, sealArgs, secret); // warm the file cache
    for (let i = 0; i < runs; i++) {
      times.node.push(wallMs(process.execPath, ['-e', '0']));
      times.sea.push(wallMs(executable, sealArgs, secret));
      times.seaVersion.push(wallMs(executable, ['--version']));
      times.npm.push(wallMs(process.execPath, [bin, ...sealArgs], secret));
    }
    const node = median(times.node);
    console.log(
      `${'size of dist-sea/sealkit'.padEnd(46)} ${(statSync(executable).size / 1e6).toFixed(1).padStart(10)} MB  (node itself: ${(statSync(process.execPath).size / 1e6).toFixed(1)} MB)`,
    );
    console.log(`${'node -e 0'.padEnd(46)} ${node.toFixed(1).padStart(10)} ms`);
    for (const [name, key] of [
      ['sea: sealkit --version', 'seaVersion'],
      ['sea: sealkit --cert c.pem -o yaml < secret', 'sea'],
      ['npm bin: sealkit --cert c.pem -o yaml', 'npm'],
    ]) {
      const value = median(times[key]);
      console.log(`${name.padEnd(46)} ${value.toFixed(1).padStart(10)} ms  (+${(value - node).toFixed(1)} ms over node -e 0)`);
    }
    return { size: statSync(executable).size, node, sea: median(times.sea) };
  } catch (error) {
    console.log(`single-file executable benchmark skipped: ${error instanceof Error ? error.message : error}`);
    return undefined;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchSea();

// CLI start-up against Node's own and against the real kubeseal v0.36.6 (when built, see
// test/reference/binaries.ts), measured side by side (interleaved) in this run:
//   - sealing one Secret with --cert: goal sealkit <= `node -e 0` + 40 ms;
//   - --recovery-unseal of one SealedSecret: goal sealkit <= 2x kubeseal.
// Prints medians and ratios, never fails. Run by `pnpm bench` (or `pnpm bench cli`) or alone:
//   node packages/cli/bench/startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLine } from '../../../bench/lib.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const bin = join(here, '..', 'bin', 'sealkit.js');
const secretFile = join(here, '..', '..', '..', 'examples', 'secret.yaml');
const referenceDir =
  process.env.SEALKIT_REFERENCE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sealkit-reference');
const kubeseal = join(referenceDir, 'bin', 'kubeseal');
const SEAL_GOAL_MS = 40;
const UNSEAL_GOAL_RATIO = 2;

function run(command, args, input, env) {
  const result = spawnSync(command, args, { input, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} failed: ${String(result.stderr).trim()}`);
  return result.stdout;
}

function wallMs(command, args, input, env) {
  const start = performance.now();
  run(command, args, input, env);
  return performance.now() - start;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const row = (label, ms, note = '') => console.log(`${label.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms${note}`);

/** Medians of each command, measured in turns so that a busy moment hurts all alike. */
function measure(commands, runs) {
  const times = commands.map(() => []);
  for (const [command, args, input, env] of commands) wallMs(command, args, input, env); // warm the file cache
  for (let i = 0; i < runs; i++)
    commands.forEach(([command, args, input, env], index) => times[index].push(wallMs(command, args, input, env)));
  return times.map(median);
}

export default async function benchStartup(runs = Number(process.argv[2]) || 21) {
  console.log(`\n== cli: start-up against node -e 0 and kubeseal v0.36.6 (median of ${runs} interleaved runs) ==`);
  console.log(loadLine());
  const scratch = mkdtempSync(join(tmpdir(), 'sealkit-bench-'));
  try {
    const { generateKeyPair } = await import('@sealkit/core');
    const pair = await generateKeyPair({ bits: 4096 });
    const certificate = join(scratch, 'cert.pem');
    const key = join(scratch, 'key.pem');
    writeFileSync(certificate, pair.certificatePem);
    writeFileSync(key, pair.privateKeyPem, { mode: 0o600 });
    const secret = readFileSync(secretFile);
    const env = { HOME: scratch, SEALKIT_HOME: join(scratch, 'sealkit'), KUBECONFIG: '' };
    const sealArgs = ['--cert', certificate, '-o', 'yaml'];
    const sealed = run(process.execPath, [bin, ...sealArgs], secret, env);
    const unsealArgs = ['--recovery-unseal', '--recovery-private-key', key, '-o', 'yaml'];
    const withKubeseal = existsSync(kubeseal);
    const commands = [
      [process.execPath, ['-e', '0'], undefined, env],
      [process.execPath, [bin, ...sealArgs], secret, env],
      [process.execPath, [bin, ...unsealArgs], sealed, env],
      ...(withKubeseal
        ? [
            [kubeseal, sealArgs, secret, env],
            [kubeseal, unsealArgs, sealed, env],
          ]
        : []),
    ];
    const [node, seal, unseal, kubesealSeal, kubesealUnseal] = measure(commands, runs);
    const overhead = seal - node;
    row('node -e 0', node);
    row(
      'sealkit --cert c.pem -o yaml < secret.yaml',
      seal,
      `  (node + ${overhead.toFixed(1)} ms; goal <= +${SEAL_GOAL_MS} ms: ${overhead <= SEAL_GOAL_MS ? 'met' : 'NOT met'})`,
    );
    row('sealkit --recovery-unseal (one SealedSecret, RSA-4096)', unseal);
    if (!withKubeseal) {
      console.log(`(kubeseal not built in ${referenceDir}: no ratios; bash scripts/reference-binaries.sh builds it)`);
      return { node, seal, unseal };
    }
    row('kubeseal --cert c.pem -o yaml < secret.yaml', kubesealSeal, `  (sealkit / kubeseal: ${(seal / kubesealSeal).toFixed(2)}x)`);
    const ratio = unseal / kubesealUnseal;
    row(
      'kubeseal --recovery-unseal',
      kubesealUnseal,
      `  (sealkit / kubeseal: ${ratio.toFixed(2)}x; goal <= ${UNSEAL_GOAL_RATIO}x: ${ratio <= UNSEAL_GOAL_RATIO ? 'met' : 'NOT met'})`,
    );
    return { node, seal, unseal, kubesealSeal, kubesealUnseal };
  } catch (error) {
    console.log(`start-up benchmark skipped: ${error instanceof Error ? error.message : error}`);
    return undefined;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchStartup();

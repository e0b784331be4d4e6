// Shared helpers for the benchmarks: they print figures and ratios; they never fail.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

/** openssl speed for rsa4096: { sign, verify } operations per second. */
export function opensslRsa4096({ multi = 1, seconds = 2, elapsed = false } = {}) {
  // openssl counts CPU time unless -elapsed: on a busy machine only -elapsed compares with wall-clock rates.
  const args = [
    'speed',
    '-seconds',
    String(seconds),
    ...(elapsed ? ['-elapsed'] : []),
    ...(multi > 1 ? ['-multi', String(multi)] : []),
    'rsa4096',
  ];
  const out = execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const line = out
    .split('\n')
    .reverse()
    .find((l) => /^rsa\s+4096 bits/.test(l) || /^rsa 4096 bits/.test(l));
  const numbers =
    line
      ?.trim()
      .split(/\s+/)
      .filter((x) => /^[\d.]+$/.test(x))
      .map(Number) ?? [];
  // Columns: sign s, verify s, sign/s, verify/s ("rsa 4096 bits" prefix removed).
  return { sign: numbers.at(-2) ?? NaN, verify: numbers.at(-1) ?? NaN };
}

/** Runs `op` with `concurrency` in flight for about `seconds`; returns operations per second. */
export async function throughput(op, { seconds = 3, concurrency = 64 } = {}) {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await op(done);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

export const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function report(name, value, unit, ratio, goal) {
  const ratioText = ratio === undefined ? '' : `  ratio ${fmt(ratio, 2)}${goal ? ` (goal ${goal})` : ''}`;
  console.log(`${name.padEnd(46)} ${fmt(value, value < 100 ? 1 : 0).padStart(10)} ${unit}${ratioText}`);
}

/** The machine's load as the run starts: other work on the cores skews every figure. */
export function loadLine() {
  return `(load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')} on ${cpus().length} cores)`;
}

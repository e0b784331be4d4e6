// `sealkit reseal` over a repository of 1,000 files x 3 values sealed with an old
// RSA-4096 key, resealed for a newer one: values per second against openssl's
// one-core rsa4096 private rate, measured in this same run (each value costs one
// private operation to open and one public to seal again). Goal: >= 1.8 x, which
// needs both cores. Prints figures, never fails. Run by `pnpm bench` or alone:
//   node packages/cli/bench/reseal.mjs [files]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Keyring, generateKeyPair } from '@sealkit/core';
import { loadLine, opensslRsa4096, report } from '../../../bench/lib.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const bin = join(here, '..', 'bin', 'sealkit.js');

function sealedSecretYaml(name, values) {
  const lines = [
    'apiVersion: bitnami.com/v1alpha1',
    'kind: SealedSecret',
    'metadata:',
    `  name: ${name}`,
    '  namespace: bench',
    'spec:',
    '  encryptedData:',
  ];
  for (const [key, value] of Object.entries(values)) lines.push(`    ${key}: ${value}`);
  lines.push('  template:', '    metadata:', `      name: ${name}`, '      namespace: bench');
  return `# bench file\n${lines.join('\n')}\n`;
}

export default async function benchReseal(files = Number(process.argv[2]) || 1000) {
  console.log(`\n== cli: sealkit reseal, ${files} files x 3 values, RSA-4096 ==`);
  console.log(loadLine());
  const scratch = mkdtempSync(join(tmpdir(), 'sealkit-bench-reseal-'));
  try {
    const openssl = opensslRsa4096();
    const opensslWall = opensslRsa4096({ elapsed: true });
    report('openssl speed rsa4096 private ops (1 core)', openssl.sign, 'ops/s');
    report('  the same, wall clock (-elapsed)', opensslWall.sign, 'ops/s');
    const [old, next] = await Promise.all([generateKeyPair({ bits: 4096 }), generateKeyPair({ bits: 4096 })]);
    writeFileSync(join(scratch, 'old.pem'), old.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(scratch, 'new.pem'), next.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(scratch, 'new-cert.pem'), next.certificatePem);
    const sealer = await Keyring.from(old.certificatePem);
    const repo = join(scratch, 'repo');
    for (let i = 0; i < files; i++) {
      const dir = join(repo, `app-${i % 20}`);
      mkdirSync(dir, { recursive: true });
      const target = { namespace: 'bench', name: `secret-${i}` };
      const values = Object.fromEntries(
        await Promise.all(['password', 'token', 'url'].map(async (key) => [key, await sealer.seal(`${key}-${i}`, target)])),
      );
      writeFileSync(join(dir, `secret-${i}.yaml`), sealedSecretYaml(`secret-${i}`, values));
    }
    const start = performance.now();
    // /usr/bin/time adds the command's CPU time: on a shared machine, wall time says as much about the neighbours.
    const timed = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'cpu %U %S'] : [];
    const command = [...timed, process.execPath];
    const result = spawnSync(
      command[0],
      [
        ...command.slice(1),
        bin,
        'reseal',
        '--key',
        join(scratch, 'old.pem'),
        '--key',
        join(scratch, 'new.pem'),
        '--cert',
        join(scratch, 'new-cert.pem'),
        repo,
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, SEALKIT_HOME: join(scratch, 'home') },
      },
    );
    const seconds = (performance.now() - start) / 1000;
    if (result.status !== 0) throw new Error(`reseal failed: ${result.stderr.trim().split('\n')[0] || result.stdout.trim()}`);
    const values = files * 3;
    const rate = values / seconds;
    console.log(
      `${'wall time, whole command'.padEnd(46)} ${seconds.toFixed(2).padStart(10)} s   (${result.stdout.trim().split('\n').at(-1)})`,
    );
    report('sealkit reseal', rate, 'values/s', rate / openssl.sign, '>= 1.8 x openssl private (1 core)');
    report('  against openssl -elapsed (same load)', rate, 'values/s', rate / opensslWall.sign);
    const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
    if (cpu) {
      const cpuSeconds = Number(cpu[1]) + Number(cpu[2]);
      console.log(
        `${'CPU time used'.padEnd(46)} ${cpuSeconds.toFixed(2).padStart(10)} s   (${(cpuSeconds / seconds).toFixed(2)} cores busy on average)`,
      );
      report('  values per CPU second', values / cpuSeconds, 'values/s', values / cpuSeconds / openssl.sign, 'openssl = 1 per CPU second');
    }
    return { seconds, rate, openssl: openssl.sign };
  } catch (error) {
    console.log(`reseal benchmark skipped: ${error instanceof Error ? error.message : error}`);
    return undefined;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchReseal();

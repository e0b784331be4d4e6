// Controller cold start: 1,000 SealedSecrets of 3 values each (RSA-4096) waiting
// in the test API server; the time until all are Synced and the controller's
// peak RSS, against the physical limit of 3,000 RSA-4096 private operations at
// `openssl speed -multi 2 rsa4096`'s rate, measured in the same run.
// Prints figures; never fails.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { fmt, opensslRsa4096, report } from '../../../bench/lib.mjs';

const SEALED_SECRETS = 1000;
const VALUES = 3;
const NAMESPACES = 10;
const TIMEOUT_MS = 300_000;
const controllerBin = fileURLToPath(new URL('../bin/sealkit-controller.js', import.meta.url));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** CPU time (all threads) of a live process so far, from the kernel, in seconds. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

/** Peak resident set size of a live process, from the kernel, in MiB. */
function peakRssMiB(pid) {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

async function seed(server, core) {
  const pair = await core.generateKeyPair({ bits: 4096 });
  const base64 = (text) => Buffer.from(text).toString('base64');
  server.cluster.ensureNamespace('kube-system');
  server.put({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name: 'sealed-secrets-keybench', namespace: 'kube-system', labels: { [core.KEY_SECRET_LABEL]: 'active' } },
    data: { 'tls.crt': base64(pair.certificatePem), 'tls.key': base64(pair.privateKeyPem) },
  });
  const keyring = await core.Keyring.from(pair.certificatePem);
  for (let n = 0; n < NAMESPACES; n++) server.cluster.ensureNamespace(`bench-${n}`);
  const sealed = await Promise.all(
    Array.from({ length: SEALED_SECRETS }, (_, i) =>
      core.sealSecret(
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: `app-${i}`, namespace: `bench-${i % NAMESPACES}` },
          stringData: Object.fromEntries(Array.from({ length: VALUES }, (_, v) => [`value-${v}`, `secret ${i}.${v}`])),
        },
        keyring,
      ),
    ),
  );
  for (const sealedSecret of sealed) server.put(sealedSecret);
}

/** Resolves with the time when every SealedSecret has a Synced=True condition. */
function allSynced(server) {
  const synced = new Set();
  return new Promise((resolve) => {
    server.cluster.store.onChange((change) => {
      if (change.obj?.kind !== 'SealedSecret') return;
      const condition = change.obj.status?.conditions?.find((c) => c.type === 'Synced');
      if (condition?.status === 'True') synced.add(change.key);
      if (synced.size === SEALED_SECRETS) resolve(performance.now());
    });
  });
}

export default async function run() {
  console.log(`\ncontroller cold start: ${fmt(SEALED_SECRETS)} SealedSecrets × ${VALUES} values, RSA-4096`);
  const unregister = register();
  const { startKubeApiServer } = await import('../../../test/kube-api-server/index.ts');
  const core = await import('@sealkit/core');
  unregister();
  const server = await startKubeApiServer({ historyLimit: 20_000 });
  // The test server's garbage collector scans every object after every write
  // (O(writes × objects): ~4 s of CPU here, on the cores the controller needs).
  // A real API server runs elsewhere, and nothing is deleted in this benchmark.
  server.cluster.runGC = () => {};
  let controller;
  try {
    await seed(server, core);
    const opensslBefore = opensslRsa4096({ multi: 2, seconds: 2 }).sign;
    const synced = allSynced(server);
    const serverCpuBefore = process.cpuUsage();
    const [apiPort, metricsPort] = [await freePort(), await freePort()];
    const started = performance.now();
    controller = spawn(
      process.execPath,
      [controllerBin, '--kubeconfig', server.kubeconfigPath, '--listen-addr', `127.0.0.1:${apiPort}`, '--listen-metrics-addr', `127.0.0.1:${metricsPort}`, '--log-level', 'warn'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const exited = new Promise((resolve) => controller.on('exit', (code) => resolve(`the controller exited with status ${code}`)));
    const timedOut = new Promise((resolve) => setTimeout(() => resolve('timed out'), TIMEOUT_MS).unref());
    const finished = await Promise.race([synced, exited, timedOut]);
    if (typeof finished === 'string') throw new Error(`Not all SealedSecrets were synced: ${finished}.`);
    const seconds = (finished - started) / 1000;
    const peak = peakRssMiB(controller.pid);
    const controllerCpu = cpuSeconds(controller.pid);
    const serverCpu = process.cpuUsage(serverCpuBefore);
    controller.kill('SIGTERM');
    await exited;

    // Other work on the machine moves both figures: openssl runs before and after, and the mean counts.
    const openssl = (opensslBefore + opensslRsa4096({ multi: 2, seconds: 2 }).sign) / 2;
    const limit = (SEALED_SECRETS * VALUES) / openssl;
    report('openssl rsa4096 private ops, 2 cores', openssl, 'ops/s');
    report('physical limit (3,000 private ops)', limit, 's');
    report('cold start until all Synced', seconds, 's', seconds / limit, '≤ 1.3');
    report('controller unseals', (SEALED_SECRETS * VALUES) / seconds, 'values/s');
    report('controller peak RSS', peak, 'MiB', peak / 200, '≤ 1.0 of 200 MiB');
    // Both share the two cores: the test API server's work lengthens the controller's time.
    report('CPU: the 3,000 private ops at openssl speed', (SEALED_SECRETS * VALUES * 2) / openssl, 's');
    report('CPU: controller (RSA work included)', controllerCpu, 's');
    report('CPU: test API server', (serverCpu.user + serverCpu.system) / 1e6, 's');
  } catch (error) {
    console.log(`controller cold start not measured: ${error instanceof Error ? error.message : error}`);
  } finally {
    if (controller && controller.exitCode === null) controller.kill('SIGKILL');
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();

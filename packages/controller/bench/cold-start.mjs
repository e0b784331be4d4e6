// Controller cold start on a real API server (etcd + kube-apiserver, the reference
// binaries): N SealedSecrets of 3 values each (RSA-4096), all created before the
// controller starts; the time until every Secret exists and every status is Synced, for
// our controller and Bitnami's (both with --kubeclient-qps=-1) in the same run, with each
// one's peak RSS and CPU, the API server's and etcd's CPU during the run, and the ratio
// to the RSA limit (N × 3 private operations at `openssl speed -multi 2 rsa4096`'s rate).
// N = 1,000; `pnpm bench controller --quick`: N = 300. Prints figures; never fails.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { fmt, opensslRsa4096, report } from '../../../bench/lib.mjs';

const VALUES = 3;
const CORES = 2;
const TIMEOUT_MS = 600_000;
const controllerBin = fileURLToPath(new URL('../bin/sealkit-controller.js', import.meta.url));

/** CPU time (all threads) of a live process so far, in seconds. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

/** Peak resident set size of a live process, in MiB. */
function peakRssMiB(pid) {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/**
 * Resolves with the time when every SealedSecret of `namespace` is Synced=True and every
 * one has its Secret, from two watches (the bench's own client, not polling).
 */
function allDone(cluster, token, namespace, count) {
  const ca = readFileSync(cluster.caPath);
  const synced = new Set();
  const secrets = new Set();
  const requests = [];
  const done = new Promise((resolve, reject) => {
    const check = () => synced.size === count && secrets.size >= count && resolve(performance.now());
    const watch = (path, onObject) => {
      const request = https.get(
        `${cluster.url}${path}?watch=1&resourceVersion=0&allowWatchBookmarks=false`,
        { ca, headers: { authorization: `Bearer ${token}` } },
        (response) => {
          let pending = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => {
            pending += chunk;
            let newline;
            while ((newline = pending.indexOf('\n')) >= 0) {
              const line = pending.slice(0, newline);
              pending = pending.slice(newline + 1);
              if (line.trim()) onObject(JSON.parse(line));
              check();
            }
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      requests.push(request);
    };
    watch(`/apis/bitnami.com/v1alpha1/namespaces/${namespace}/sealedsecrets`, ({ object }) => {
      if (object.status?.conditions?.some((c) => c.type === 'Synced' && c.status === 'True')) synced.add(object.metadata.name);
    });
    watch(`/api/v1/namespaces/${namespace}/secrets`, ({ type, object }) => {
      if (type !== 'DELETED' && object.metadata.name.startsWith('app-')) secrets.add(object.metadata.name);
    });
  });
  return { done, stop: () => requests.forEach((request) => request.destroy()) };
}

export default async function run() {
  const count = process.argv.includes('--quick') ? 300 : 1000;
  console.log(`\ncontroller cold start on a real API server: ${fmt(count)} SealedSecrets × ${VALUES} values, RSA-4096, ours and Bitnami's`);
  const unregister = register();
  const { referenceSkipReason } = await import('../../../test/reference/binaries.ts');
  const missing = referenceSkipReason('kube-apiserver', 'etcd', 'controller');
  if (missing) {
    unregister();
    return console.log(`controller cold start not measured: ${missing}`);
  }
  const { startRealCluster, applyControllerManifests, kubeconfigYaml } = await import('../../../test/kube-real/cluster.ts');
  const { bitnamiCommand } = await import('../../../test/kube-real/bitnami.ts');
  const core = await import('@sealkit/core');
  unregister();

  const cluster = await startRealCluster();
  const kubectl = (args, input) =>
    execFileSync('kubectl', ['--kubeconfig', cluster.adminKubeconfig, ...args], { input, encoding: 'utf8', maxBuffer: 256 << 20 });
  try {
    applyControllerManifests(cluster);
    const adminToken = /token: (\S+)/.exec(readFileSync(cluster.adminKubeconfig, 'utf8'))[1];
    const token = kubectl(['create', 'token', 'sealed-secrets-controller', '-n', 'kube-system', '--duration', '2h']).trim();
    const kubeconfig = join(cluster.dir, 'controller.kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml(cluster.url, cluster.caPath, token, 'kube-system'), { mode: 0o600 });
    const pair = await core.generateKeyPair({ bits: 4096 });
    const keyring = await core.Keyring.from(pair.certificatePem);
    const base64 = (text) => Buffer.from(text).toString('base64');

    /** A namespace with the key and `count` SealedSecrets, none opened yet. */
    async function seed(namespace) {
      kubectl(['create', 'namespace', namespace]);
      const key = {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
        metadata: { name: 'sealed-secrets-keybench', namespace, labels: { [core.KEY_SECRET_LABEL]: 'active' } },
        data: { 'tls.crt': base64(pair.certificatePem), 'tls.key': base64(pair.privateKeyPem) },
      };
      const sealed = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          core.sealSecret(
            {
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: { name: `app-${i}`, namespace },
              stringData: Object.fromEntries(Array.from({ length: VALUES }, (_, v) => [`value-${v}`, `secret ${i}.${v}`])),
            },
            keyring,
          ),
        ),
      );
      kubectl(['create', '-f', '-', '-o', 'name'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [key, ...sealed] }));
    }

    const opensslBefore = opensslRsa4096({ multi: 2, seconds: 2 }).sign;
    const measure = async (label, namespace, launch) => {
      await seed(namespace);
      const watcher = allDone(cluster, adminToken, namespace, count);
      const serverCpuBefore = cpuSeconds(cluster.apiServerPid) + cpuSeconds(cluster.etcdPid);
      const started = performance.now();
      const child = spawn(launch.command, launch.args, { stdio: ['ignore', 'ignore', 'ignore'], env: launch.env });
      const exited = new Promise((resolve) => child.on('exit', (code) => resolve(`${label} exited with status ${code}`)));
      const timedOut = new Promise((resolve) => setTimeout(() => resolve('timed out'), TIMEOUT_MS).unref());
      try {
        const finished = await Promise.race([watcher.done, exited, timedOut]);
        if (typeof finished === 'string') throw new Error(`not all SealedSecrets were synced: ${finished}`);
        return {
          seconds: (finished - started) / 1000,
          rss: peakRssMiB(child.pid),
          cpu: cpuSeconds(child.pid),
          serverCpu: cpuSeconds(cluster.apiServerPid) + cpuSeconds(cluster.etcdPid) - serverCpuBefore,
        };
      } finally {
        watcher.stop();
        child.kill('SIGKILL');
        await exited;
      }
    };

    const ours = await measure('our controller', 'bench-ours', {
      command: process.execPath,
      args: [
        controllerBin,
        '--kubeconfig',
        kubeconfig,
        '--namespace',
        'bench-ours',
        '--all-namespaces=false',
        '--leader-elect=false',
        '--kubeclient-qps=-1',
        '--listen-addr',
        '127.0.0.1:0',
        '--listen-metrics-addr',
        '127.0.0.1:0',
        '--log-level',
        'warn',
      ],
      env: process.env,
    });
    const bitnami = await measure(
      "Bitnami's controller",
      'bench-bitnami',
      bitnamiCommand(cluster, token, 'bench-bitnami', [
        '--all-namespaces=false',
        '--listen-addr=127.0.0.1:0',
        '--listen-metrics-addr=127.0.0.1:0',
      ]),
    );

    // Other work on the machine moves both figures: openssl runs before and after, and the mean counts.
    const openssl = (opensslBefore + opensslRsa4096({ multi: 2, seconds: 2 }).sign) / 2;
    const limit = (count * VALUES) / openssl;
    report('openssl rsa4096 private ops, 2 cores', openssl, 'ops/s');
    report(`RSA limit (${fmt(count * VALUES)} private ops)`, limit, 's');
    for (const [name, m] of [
      ['ours', ours],
      ["Bitnami's", bitnami],
    ]) {
      // The API server and etcd share the two cores: their CPU time, spread on both, is taken off the wall time.
      const adjusted = m.seconds - m.serverCpu / CORES;
      report(`${name}: cold start until all Synced`, m.seconds, 's', m.seconds / limit);
      report(
        `${name}: same, API server + etcd CPU / ${CORES} taken off`,
        adjusted,
        's',
        adjusted / limit,
        name === 'ours' ? '≤ 1.3' : undefined,
      );
      report(`${name}: unseals`, (count * VALUES) / m.seconds, 'values/s');
      report(`${name}: peak RSS`, m.rss, 'MiB', m.rss / 200, name === 'ours' ? '≤ 1.0 of 200 MiB' : undefined);
      report(`${name}: controller CPU`, m.cpu, 's');
      report(`${name}: API server + etcd CPU meanwhile`, m.serverCpu, 's');
    }
    report("wall time: ours, and its ratio to Bitnami's", ours.seconds, 's', ours.seconds / bitnami.seconds, '≤ 0.5');
    report("peak RSS: ours, and its ratio to Bitnami's", ours.rss, 'MiB', ours.rss / bitnami.rss);
  } catch (error) {
    console.log(`controller cold start not measured: ${error instanceof Error ? error.message : error}`);
  } finally {
    await cluster.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();

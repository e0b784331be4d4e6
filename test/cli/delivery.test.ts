// Kustomize (through the real kubectl kustomize) and Helm's post-renderer contract.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unsealSecret } from '../../packages/core/src/index.js';
import { decode, documents, repoRoot, useSandboxWithKeys } from './helpers.js';

const KUBECTL = '/usr/bin/kubectl';
const KPT = '/usr/lib/google-cloud-sdk/bin/kpt';
// Both come with this kind of machine (Debian's kubectl and google-cloud-cli-kpt): CI must have them.
for (const tool of [KUBECTL, KPT]) {
  if (existsSync(tool)) continue;
  if (process.env.CI === 'true') throw new Error(`CI requires ${tool} for the Kustomize tests.`);
  console.warn(`skipped: ${tool} is missing, so its Kustomize test is skipped`);
}
const { sandbox, keys } = useSandboxWithKeys();

async function opened(sealed: Record<string, any>): Promise<Record<string, string>> {
  const secret = await unsealSecret(sealed, keys.keyring);
  return Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, decode(value)]));
}

describe('sealkit kustomize', () => {
  it.skipIf(!existsSync(KUBECTL))('seals secretGenerator output and Secrets inside kubectl kustomize --enable-alpha-plugins', async () => {
    const plugins = sandbox.path('xdg/kustomize/plugin/sealkit.dev/v1/sealsecrets');
    mkdirSync(plugins, { recursive: true });
    symlinkSync(join(repoRoot, 'packages/cli/bin/sealkit-kustomize.js'), join(plugins, 'SealSecrets'));
    sandbox.write(
      'kz/kustomization.yaml',
      'secretGenerator:\n- name: db\n  namespace: prod\n  literals: [password=s3cr3t]\nresources: [deploy.yaml, api-secret.yaml]\ntransformers: [seal.yaml]\n',
    );
    sandbox.write('kz/seal.yaml', 'apiVersion: sealkit.dev/v1\nkind: SealSecrets\nmetadata: {name: seal}\ncert: ../cert.pem\n');
    sandbox.write(
      'kz/api-secret.yaml',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\n  namespace: prod\n  annotations: {team: payments}\nstringData: {token: t0k3n}\n',
    );
    sandbox.write(
      'kz/deploy.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: prod}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n      containers:\n      - {name: c, image: x, envFrom: [{secretRef: {name: db}}]}\n',
    );
    const out = execFileSync(KUBECTL, ['kustomize', '--enable-alpha-plugins', sandbox.path('kz')], {
      encoding: 'utf8',
      env: {
        PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
        HOME: sandbox.home,
        SEALKIT_HOME: sandbox.sealkitHome,
        XDG_CONFIG_HOME: sandbox.path('xdg'),
      },
    });
    const objects = documents(out);
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'SealedSecret', 'SealedSecret']);
    expect(out).not.toContain('s3cr3t');
    expect(out).not.toMatch(/kustomize\.config\.k8s\.io|internal\.config/);
    const db = objects.find((o) => o.kind === 'SealedSecret' && o.metadata.name === 'db')!;
    expect(await opened(db)).toEqual({ password: 's3cr3t' });
    // The Deployment still refers to the Secret the controller will create.
    expect(objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0].envFrom[0].secretRef.name).toBe(db.metadata.name);
    const api = objects.find((o) => o.metadata.name === 'api')!;
    expect(api.spec.template.metadata.annotations).toEqual({ team: 'payments' });
    expect(await opened(api)).toEqual({ token: 't0k3n' });
  });

  it.skipIf(!existsSync(KPT))('runs as an exec KRM function under kpt fn eval --exec, settings from its ConfigMap', async () => {
    sandbox.write(
      'kpt/secret.yaml',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\nstringData:\n  password: s3cr3t\n',
    );
    sandbox.write('kpt/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: prod\ndata:\n  x: "1"\n');
    execFileSync(
      KPT,
      ['fn', 'eval', sandbox.path('kpt'), '--exec', join(repoRoot, 'packages/cli/bin/sealkit-kustomize.js'), '--', `cert=${keys.certFile}`],
      {
        encoding: 'utf8',
        env: { PATH: `${dirname(process.execPath)}:${process.env.PATH}`, HOME: sandbox.home, SEALKIT_HOME: sandbox.sealkitHome },
      },
    );
    const [sealed] = documents(sandbox.read('kpt/secret.yaml'));
    expect(sealed!.kind).toBe('SealedSecret');
    expect(await opened(sealed!)).toEqual({ password: 's3cr3t' });
    expect(documents(sandbox.read('kpt/cm.yaml'))[0]!.data).toEqual({ x: '1' });
  });

  it('as an exec KRM function: a ResourceList in, a ResourceList out, other items and their annotations kept', async () => {
    const input = [
      'apiVersion: config.kubernetes.io/v1',
      'kind: ResourceList',
      'functionConfig:',
      '  apiVersion: sealkit.dev/v1',
      '  kind: SealSecrets',
      '  metadata: {name: seal}',
      `  spec: {cert: ${JSON.stringify(keys.certFile)}, scope: namespace-wide}`,
      'items:',
      '- apiVersion: v1',
      '  kind: Secret',
      '  metadata:',
      '    name: db',
      '    namespace: prod',
      '    annotations: {config.kubernetes.io/index: "0", internal.config.kubernetes.io/path: db.yaml}',
      '  data: {password: czNjcjN0}',
      '- apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata: {name: cfg, annotations: {config.kubernetes.io/index: "1"}}',
      '  data: {x: "1"}',
      '',
    ].join('\n');
    const result = await sandbox.run(['kustomize'], { input });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [list] = documents(result.stdout);
    expect(list!.kind).toBe('ResourceList');
    const [sealed, configMap] = list!.items;
    expect(sealed.kind).toBe('SealedSecret');
    expect(sealed.metadata.annotations).toMatchObject({
      'config.kubernetes.io/index': '0',
      'internal.config.kubernetes.io/path': 'db.yaml',
      'sealedsecrets.bitnami.com/namespace-wide': 'true',
    });
    expect(sealed.spec.template.metadata.annotations ?? {}).not.toHaveProperty('config.kubernetes.io/index');
    expect(await opened(sealed)).toEqual({ password: 's3cr3t' });
    expect(configMap).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', annotations: { 'config.kubernetes.io/index': '1' } },
      data: { x: '1' },
    });
  });
});

describe('sealkit post-render (Helm)', () => {
  const rendered = [
    '---',
    '# Source: app/templates/configmap.yaml',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    "  name: 'cfg'   # odd quoting and comments stay",
    'data: {x: "1"}',
    '---',
    '# Source: app/templates/secret.yaml',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: app-db',
    'type: Opaque',
    'stringData:',
    '  password: "s3cr3t"',
    '---',
    '# Source: app/templates/deployment.yaml',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: app}',
    '',
  ].join('\n');

  it('replaces each Secret by its SealedSecret on stdout and leaves every other document byte for byte', async () => {
    const result = await sandbox.run(['post-render', '--cert', keys.certFile, '-n', 'prod'], { input: rendered });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).not.toContain('s3cr3t');
    const [before, after] = [
      rendered.split('# Source: app/templates/secret.yaml'),
      result.stdout.split('# Source: app/templates/secret.yaml'),
    ];
    expect(after[0]).toBe(before[0]);
    expect(after[1]!.slice(after[1]!.indexOf('---\n# Source: app/templates/deployment.yaml'))).toBe(
      before[1]!.slice(before[1]!.indexOf('---\n# Source: app/templates/deployment.yaml')),
    );
    const objects = documents(result.stdout);
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap', 'SealedSecret', 'Deployment']);
    expect(objects[1]!.metadata).toMatchObject({ name: 'app-db', namespace: 'prod' });
    expect(await opened(objects[1]!)).toEqual({ password: 's3cr3t' });
  });

  it('takes a whole release of several hundred KB (beyond the one-manifest YAML bounds)', async () => {
    const deployment = (i: number) =>
      `---\n# Source: app/templates/d${i}.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  labels: {app: a, tier: web}\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: web\n          image: "nginx:1.25"\n          args: ["--port", "8080"]\n`;
    const release = Array.from({ length: 2500 }, (_, i) => deployment(i)).join('') + rendered;
    expect(release.length).toBeGreaterThan(450_000);
    const result = await sandbox.run(['post-render', '--cert', keys.certFile, '-n', 'prod'], { input: release });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(documents(result.stdout).filter((o) => o.kind === 'SealedSecret')).toHaveLength(1);
  });

  it('passes manifests without Secrets through unchanged, needing no certificate', async () => {
    const input = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# trailing comment\n';
    const result = await sandbox.run(['post-render'], { input, env: { SEALKIT_HOME: sandbox.path('none') } });
    expect(result).toMatchObject({ code: 0, stdout: input, stderr: '' });
  });

  it('fails with one line, and nothing on stdout, when it cannot seal', async () => {
    const result = await sandbox.run(['post-render'], { input: rendered, env: { SEALKIT_HOME: sandbox.path('none') } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: No certificate to seal with: .*\n$/);
  });
});

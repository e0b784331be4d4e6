// The deployment files of examples/controller: a CRD Bitnami's controller also accepts,
// the Service kubeseal expects, a locked-down Deployment, and RBAC that grants exactly what the controller uses.
import { join } from 'node:path';
import { parseOptions } from '@sealkit/controller';
import { Keyring } from '@sealkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, KubeApiServer, RequestLogEntry } from '../kube-api-server/index.js';
import { SEALED_SECRET_SCHEMA } from '../kube-api-server/resources.js';
import { killControllers, repoRoot, seal, startCluster, startController, syncedCondition, waitFor, yamlFile } from './harness.js';

const manifests = (file: string) => yamlFile(join(repoRoot, 'examples/controller', file));
const all = () => ['crd.yaml', 'rbac.yaml', 'deployment.yaml', 'service.yaml'].flatMap(manifests);
const find = (kind: string, name: string) => all().find((m) => m.kind === kind && m.metadata.name === name)!;

describe('CRD', () => {
  /** Every field of Bitnami's schema, with its type and format, by path. */
  function fields(schema: JsonObject, path = ''): Map<string, string> {
    const out = new Map<string, string>([[path || '.', `${schema.type}/${schema.format ?? ''}/${(schema.required ?? []).join(',')}`]]);
    for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, JsonObject>))
      for (const entry of fields(child, `${path}.${name}`)) out.set(...entry);
    if (schema.items) for (const entry of fields(schema.items, `${path}[]`)) out.set(...entry);
    if (schema.additionalProperties) for (const entry of fields(schema.additionalProperties, `${path}{}`)) out.set(...entry);
    return out;
  }

  it("has Bitnami's fields and types, and the status subresource", () => {
    const crd = find('CustomResourceDefinition', 'sealedsecrets.bitnami.com');
    const version = crd.spec.versions[0];
    expect(crd.spec.group).toBe('bitnami.com');
    expect(crd.spec.names).toMatchObject({
      kind: 'SealedSecret',
      plural: 'sealedsecrets',
      singular: 'sealedsecret',
      listKind: 'SealedSecretList',
    });
    expect(version).toMatchObject({ name: 'v1alpha1', served: true, storage: true, subresources: { status: {} } });
    const ours = fields(version.schema.openAPIV3Schema);
    for (const [path, shape] of fields(SEALED_SECRET_SCHEMA as JsonObject)) expect(ours.get(path), path).toBe(shape);
  });
});

describe('Service and Deployment', () => {
  it('expose the API as kubeseal expects: sealed-secrets-controller, first port "http"', () => {
    const service = find('Service', 'sealed-secrets-controller');
    expect(service.metadata.namespace).toBe('kube-system');
    expect(service.spec.ports[0]).toMatchObject({ name: 'http', port: 8080, targetPort: 'http' });
  });

  it('run as non-root on a read-only root filesystem, probed on /healthz, with flags the controller takes', () => {
    const deployment = find('Deployment', 'sealed-secrets-controller');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
    expect(container.ports).toEqual(
      expect.arrayContaining([
        { name: 'http', containerPort: 8080 },
        { name: 'metrics', containerPort: 8081 },
      ]),
    );
    expect(pod.serviceAccountName).toBe(find('ServiceAccount', 'sealed-secrets-controller').metadata.name);
    expect(() => parseOptions(container.args, 'test')).not.toThrow();
  });
});

describe('RBAC', () => {
  let server: KubeApiServer;
  let used: RequestLogEntry[];

  type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
  const boundTo = (binding: JsonObject) =>
    binding.subjects.some((s: JsonObject) => s.kind === 'ServiceAccount' && s.name === 'sealed-secrets-controller');
  function grants(): { rule: Rule; namespace?: string }[] {
    const rbac = manifests('rbac.yaml');
    return rbac
      .filter((m) => (m.kind === 'ClusterRoleBinding' || m.kind === 'RoleBinding') && boundTo(m))
      .flatMap((binding) => {
        const role = rbac.find((m) => m.kind === binding.roleRef.kind && m.metadata.name === binding.roleRef.name)!;
        return (role.rules as Rule[]).map((rule) => ({ rule, namespace: role.kind === 'Role' ? role.metadata.namespace : undefined }));
      });
  }
  const resourceOf = (r: RequestLogEntry) => (r.subresource ? `${r.resource}/${r.subresource}` : r.resource!);
  const allows = ({ rule, namespace }: { rule: Rule; namespace?: string }, r: RequestLogEntry) =>
    rule.apiGroups.includes(r.group ?? '') &&
    rule.resources.includes(resourceOf(r)) &&
    rule.verbs.includes(r.verb!) &&
    (!namespace || namespace === r.namespace) &&
    (!rule.resourceNames || (r.name !== undefined && rule.resourceNames.includes(r.name)));

  beforeAll(async () => {
    server = await startCluster();
    const controller = await startController(server, [
      '--leader-elect',
      '--leader-elect-retry-period',
      '200ms',
      '--max-unseal-retries',
      '3',
    ]);
    const keyring = await Keyring.from(await (await fetch(`${controller.apiUrl}/v1/cert.pem`)).text());
    // Everything the controller does: unseal, restore a deleted and an edited Secret, repeat a failure event, retry a status conflict.
    server.failNext({ method: 'PUT', pathIncludes: '/sealedsecrets/conflicted/status', status: 409, count: 1, reason: 'Conflict' });
    for (const name of ['deleted', 'edited', 'conflicted'])
      server.put((await seal(keyring, { name, namespace: 'apps', data: { v: name } })) as unknown as JsonObject);
    const broken = await seal(keyring, { name: 'elsewhere', namespace: 'apps', data: { v: 'x' } });
    server.put({ ...broken, metadata: { ...broken.metadata, name: 'broken' } } as unknown as JsonObject);
    await waitFor('the Secrets', () =>
      ['deleted', 'edited', 'conflicted'].every((n) => syncedCondition(server, 'apps', n)?.status === 'True'),
    );
    server.delete('Secret', 'apps', 'deleted');
    const edited = server.get('Secret', 'apps', 'edited')!;
    server.put({ ...edited, data: { v: 'dGFtcGVyZWQ=' } });
    await waitFor(
      'both restored',
      () => server.get('Secret', 'apps', 'deleted') && server.get('Secret', 'apps', 'edited')!.data.v !== 'dGFtcGVyZWQ=',
    );
    await waitFor('a repeated failure event', () => server.requests.some((r) => r.verb === 'patch' && r.resource === 'events'), 10_000);
    used = server.requests.filter((r) => r.userAgent?.startsWith('sealkit-controller/'));
  });

  afterAll(async () => {
    await killControllers();
    await server?.close();
  });

  it('allows every request the controller makes', () => {
    const refused = used
      .filter((r) => !grants().some((grant) => allows(grant, r)))
      .map((r) => `${r.verb} ${resourceOf(r)} ${r.namespace ?? ''}/${r.name ?? ''}`);
    expect(refused).toEqual([]);
  });

  it('grants nothing the controller does not use', () => {
    const unused = grants().flatMap((grant) =>
      grant.rule.verbs
        .filter((verb) => !used.some((r) => allows({ ...grant, rule: { ...grant.rule, verbs: [verb] } }, r)))
        .map((verb) => `${verb} ${grant.rule.resources.join(',')}`),
    );
    expect(unused).toEqual([]);
  });
});

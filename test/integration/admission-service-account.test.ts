/**
 * The ServiceAccount admission plugin through the HTTP API, on a server running every plugin (the
 * test server leaves ServiceAccount out by default for older tests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { createNamespace } from './support/fixtures.ts';

let server: TestServer;
const ns = 'adm-sa';
const podsPath = `/api/v1/namespaces/${ns}/pods`;

function pod(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
}

async function createServiceAccount(name: string, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await server.request.post(`/api/v1/namespaces/${ns}/serviceaccounts`)
    .send({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name }, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

beforeAll(async () => {
  server = await startTestServer({ disableAdmissionPlugins: [] });
  await createNamespace(server, ns);
});
afterAll(async () => { await server?.close(); });

describe('ServiceAccount admission', () => {
  it('refuses a pod whose default service account does not exist, and writes nothing', async () => {
    const res = await server.request.post(podsPath).send(pod('early'));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403,
      message: `pods "early" is forbidden: error looking up service account ${ns}/default: serviceaccount "default" not found`,
      details: { name: 'early', kind: 'pods' },
    });
    expect((await server.request.get(`${podsPath}/early`)).status).toBe(404);
  });

  it('names a generateName pod by its prefix in the refusal', async () => {
    const res = await server.request.post(podsPath).send({ ...pod(''), metadata: { generateName: 'gen-' }, spec: { serviceAccountName: 'nobody', containers: [{ name: 'c', image: 'busybox' }] } });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(`pods "gen-" is forbidden: error looking up service account ${ns}/nobody: serviceaccount "nobody" not found`);
  });

  it('defaults the account and mounts the projected token volume in every container', async () => {
    await createServiceAccount('default');
    const res = await server.request.post(podsPath).send(pod('mounted', {
      initContainers: [{ name: 'init', image: 'busybox' }],
      containers: [{ name: 'c', image: 'busybox' }, { name: 'own', image: 'busybox', volumeMounts: [{ name: 'x', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }],
      volumes: [{ name: 'x', emptyDir: {} }],
    }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const spec = res.body.spec;
    expect(spec.serviceAccountName).toBe('default');
    expect(spec.serviceAccount).toBe('default');
    const volume = spec.volumes[1];
    expect(volume.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(volume.projected).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    const mount = { name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
    expect(spec.initContainers[0].volumeMounts).toEqual([mount]);
    expect(spec.containers[0].volumeMounts).toEqual([mount]);
    // A container that already mounts something there is left alone.
    expect(spec.containers[1].volumeMounts).toEqual([{ name: 'x', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
  });

  it('mounts nothing when the pod or its account opts out; the pod wins', async () => {
    await createServiceAccount('quiet', { automountServiceAccountToken: false });
    const podOptOut = await server.request.post(podsPath).send(pod('no-token', { automountServiceAccountToken: false }));
    expect(podOptOut.status).toBe(201);
    expect(podOptOut.body.spec.volumes).toBeUndefined();
    expect(podOptOut.body.spec.containers[0].volumeMounts).toBeUndefined();
    const saOptOut = await server.request.post(podsPath).send(pod('quiet-sa', { serviceAccountName: 'quiet' }));
    expect(saOptOut.status).toBe(201);
    expect(saOptOut.body.spec.volumes).toBeUndefined();
    const podOptIn = await server.request.post(podsPath).send(pod('loud', { serviceAccountName: 'quiet', automountServiceAccountToken: true }));
    expect(podOptIn.status).toBe(201);
    expect(podOptIn.body.spec.volumes).toHaveLength(1);
  });

  it("copies the account's imagePullSecrets when the pod has none", async () => {
    await createServiceAccount('puller', { imagePullSecrets: [{ name: 'registry' }] });
    const res = await server.request.post(podsPath).send(pod('pulls', { serviceAccountName: 'puller' }));
    expect(res.status).toBe(201);
    expect(res.body.spec.imagePullSecrets).toEqual([{ name: 'registry' }]);
    const own = await server.request.post(podsPath).send(pod('own-pull', { serviceAccountName: 'puller', imagePullSecrets: [{ name: 'mine' }] }));
    expect(own.body.spec.imagePullSecrets).toEqual([{ name: 'mine' }]);
  });

  it('enforces mountable secrets when the account asks for it', async () => {
    await createServiceAccount('strict', {
      metadata: { name: 'strict', annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } }, secrets: [{ name: 'ok' }],
    });
    const res = await server.request.post(podsPath).send(pod('strict-pod', {
      serviceAccountName: 'strict', automountServiceAccountToken: false, volumes: [{ name: 's', secret: { secretName: 'other' } }],
    }));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('pods "strict-pod" is forbidden: volume with secret.secretName="other" is not allowed because service account strict does not reference that secret');
  });

  it('refuses mirror pods that reference a service account', async () => {
    const res = await server.request.post(podsPath).send({
      ...pod('mirror', { serviceAccountName: 'default' }), metadata: { name: 'mirror', annotations: { 'kubernetes.io/config.mirror': 'x' } },
    });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('pods "mirror" is forbidden: a mirror pod may not reference service accounts');
  });
});

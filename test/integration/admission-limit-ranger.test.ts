/** The LimitRanger admission plugin through the HTTP API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { createNamespace } from './support/fixtures.ts';

let server: TestServer;
const ns = 'adm-lr';
const free = 'adm-lr-free';
const podsPath = (n: string) => `/api/v1/namespaces/${n}/pods`;

function pod(name: string, resources: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox', resources }] } };
}

beforeAll(async () => {
  server = await startTestServer();
  await createNamespace(server, ns);
  await createNamespace(server, free);
  const res = await server.request.post(`/api/v1/namespaces/${ns}/limitranges`).send({
    apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits' },
    spec: {
      limits: [
        { type: 'Container', min: { cpu: '100m' }, max: { cpu: '1', memory: '1Gi' }, default: { cpu: '500m', memory: '512Mi' },
          defaultRequest: { cpu: '200m', memory: '256Mi' }, maxLimitRequestRatio: { cpu: '4' } },
        { type: 'Pod', max: { memory: '1Gi' } },
      ],
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
});
afterAll(async () => { await server?.close(); });

describe('LimitRanger admission', () => {
  it('fills container defaults and records them in an annotation', async () => {
    const res = await server.request.post(podsPath(ns)).send(pod('defaulted'));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.spec.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '200m', memory: '256Mi' } });
    expect(res.body.metadata.annotations).toEqual({
      'kubernetes.io/limit-ranger': 'LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c',
    });
  });

  it('refuses a container above max, writing nothing', async () => {
    const res = await server.request.post(podsPath(ns)).send(pod('greedy', { limits: { cpu: '2' } }));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      kind: 'Status', reason: 'Forbidden', code: 403, details: { name: 'greedy', kind: 'pods' },
      message: 'pods "greedy" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    });
    expect((await server.request.get(`${podsPath(ns)}/greedy`)).status).toBe(404);
  });

  it('lists several violations in brackets', async () => {
    const res = await server.request.post(podsPath(ns)).send(pod('tiny', { requests: { cpu: '50m' }, limits: { cpu: '1', memory: '2Gi' } }));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('pods "tiny" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, '
      + 'maximum memory usage per Container is 1Gi, but limit is 2Gi, cpu max limit to request ratio per Container is 4, but provided ratio is 20.000000, '
      + 'maximum memory usage per Pod is 1Gi, but limit is 2Gi]');
  });

  it('leaves pods alone in a namespace without LimitRanges', async () => {
    const res = await server.request.post(podsPath(free)).send(pod('untouched'));
    expect(res.status).toBe(201);
    expect(res.body.spec.containers[0].resources).toEqual({});
    expect(res.body.metadata.annotations).toBeUndefined();
  });
});

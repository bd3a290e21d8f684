/**
 * The access reviews (authorization.k8s.io/v1): answered by the same authorizer chain that guards
 * requests. The server runs --authorization-mode=AlwaysDeny, so only system:masters is allowed and
 * every other subject gets AlwaysDeny's "Everything is forbidden." reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { createNamespace } from './support/fixtures.ts';

let server: TestServer;
const ns = 'reviews';
const base = '/apis/authorization.k8s.io/v1';

beforeAll(async () => {
  server = await startTestServer({ authorizationModes: ['AlwaysDeny'] });
  await createNamespace(server, ns);
});
afterAll(async () => { await server?.close(); });

const review = (kind: string, spec: Record<string, unknown>) => ({ apiVersion: 'authorization.k8s.io/v1', kind, spec });
const podsGet = { namespace: ns, verb: 'get', resource: 'pods' };

describe('SelfSubjectAccessReview', () => {
  it('answers 201 with the requester\'s decision', async () => {
    const res = await server.request.post(`${base}/selfsubjectaccessreviews`).send(review('SelfSubjectAccessReview', { resourceAttributes: podsGet }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null },
      spec: { resourceAttributes: podsGet }, status: { allowed: true },
    });
  });

  it('refuses a spec with neither attribute kind, as 422', async () => {
    const res = await server.request.post(`${base}/selfsubjectaccessreviews`).send(review('SelfSubjectAccessReview', {}));
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');
  });

  it('refuses both attribute kinds at once', async () => {
    const res = await server.request.post(`${base}/selfsubjectaccessreviews`)
      .send(review('SelfSubjectAccessReview', { resourceAttributes: podsGet, nonResourceAttributes: { path: '/healthz', verb: 'get' } }));
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/healthz", Verb:"get"}: cannot be specified in combination with resourceAttributes');
  });

  it('has no Table form: a Table-only Accept is 406', async () => {
    const res = await server.request.post(`${base}/selfsubjectaccessreviews`)
      .set('Accept', 'application/json;as=Table;v=v1;g=meta.k8s.io')
      .send(review('SelfSubjectAccessReview', { resourceAttributes: podsGet }));
    expect(res.status).toBe(406);
  });

  it('is create-only: GET of the collection is 405', async () => {
    expect((await server.request.get(`${base}/selfsubjectaccessreviews`)).status).toBe(405);
  });
});

describe('SubjectAccessReview', () => {
  it('answers for another user', async () => {
    const res = await server.request.post(`${base}/subjectaccessreviews`)
      .send(review('SubjectAccessReview', { user: 'bob', groups: ['devs'], resourceAttributes: podsGet }));
    expect(res.status).toBe(201);
    expect(res.body.status).toEqual({ allowed: false, reason: 'Everything is forbidden.' });
  });

  it('answers allowed for a subject in system:masters, for a non-resource path too', async () => {
    const res = await server.request.post(`${base}/subjectaccessreviews`)
      .send(review('SubjectAccessReview', { user: 'root', groups: ['system:masters'], nonResourceAttributes: { path: '/metrics', verb: 'get' } }));
    expect(res.body.status).toEqual({ allowed: true });
  });

  it('needs a user or a group', async () => {
    const res = await server.request.post(`${base}/subjectaccessreviews`).send(review('SubjectAccessReview', { resourceAttributes: podsGet }));
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified');
  });
});

describe('LocalSubjectAccessReview', () => {
  const path = `${base}/namespaces/${ns}/localsubjectaccessreviews`;

  it('answers within its namespace', async () => {
    const res = await server.request.post(path).send(review('LocalSubjectAccessReview', { user: 'bob', resourceAttributes: podsGet }));
    expect(res.status).toBe(201);
    expect(res.body.metadata).toEqual({ namespace: ns, creationTimestamp: null });
    expect(res.body.status).toEqual({ allowed: false, reason: 'Everything is forbidden.' });
  });

  it('refuses attributes for another namespace', async () => {
    const res = await server.request.post(path).send(review('LocalSubjectAccessReview', { user: 'bob', resourceAttributes: { ...podsGet, namespace: 'other' } }));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`spec.resourceAttributes.namespace must match namespace: ${ns}`);
  });

  it('refuses non-resource attributes', async () => {
    const res = await server.request.post(path).send(review('LocalSubjectAccessReview', { user: 'bob', nonResourceAttributes: { path: '/x', verb: 'get' } }));
    expect(res.status).toBe(422);
    expect(res.body.message).toContain('spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/x", Verb:"get"}: disallowed on this kind of request');
  });

  it('has no cluster-scoped path', async () => {
    expect((await server.request.post(`${base}/localsubjectaccessreviews`).send(review('LocalSubjectAccessReview', { user: 'bob', resourceAttributes: podsGet }))).status).toBe(404);
  });
});

describe('SelfSubjectRulesReview', () => {
  it('lists what the rule resolvers know (AlwaysDeny: nothing) and drops the spec', async () => {
    const res = await server.request.post(`${base}/selfsubjectrulesreviews`).send(review('SelfSubjectRulesReview', { namespace: ns }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null },
      spec: {}, status: { resourceRules: [], nonResourceRules: [], incomplete: false },
    });
  });

  it('needs a namespace', async () => {
    const res = await server.request.post(`${base}/selfsubjectrulesreviews`).send(review('SelfSubjectRulesReview', {}));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('no namespace on request');
  });
});

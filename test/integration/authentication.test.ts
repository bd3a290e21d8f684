/**
 * Bearer-token authentication against a real etcd: static tokens, service-account tokens from
 * TokenRequest, TokenReview and SelfSubjectReview, and the negative matrix (no credentials,
 * unknown, expired, forged, wrong-audience and orphaned tokens), each a 401 that writes nothing.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { jwtTokenIssuer } from '../../pkg/auth/serviceaccount/index.ts';
import type { UserInfo } from '../../pkg/auth/user.ts';
import { eventually } from '../helpers/eventually.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies

const issuer = 'https://kubernetes.default.svc.cluster.local';
const ns = 'authn';
const rsa = (): { privateKey: KeyObject; publicKey: KeyObject } => generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys = rsa();
const otherKeys = rsa();
const adminToken = 'admin-token';
const aliceToken = 'alice-token';
const staticTokens = new Map<string, UserInfo>([
  [adminToken, { username: 'admin', uid: 'admin-uid', groups: ['system:masters'] }],
  [aliceToken, { username: 'alice', uid: '1001', groups: ['dev', 'ops'] }],
]);
const unauthorized = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };

let server: TestServer;
/** A header sent twice (superagent repeats array values; its types only allow that for Cookie). */
const twoGroups = ['g1', 'g2'] as unknown as string;

const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });
const asAdmin = bearer(adminToken);

async function post(path: string, body: unknown, headers: Record<string, string> = asAdmin): Promise<{ status: number; body: Json }> {
  const res = await server.request.post(path).set(headers).send(body as object);
  return { status: res.status, body: res.body as Json };
}

/** `kubectl auth whoami`: the user the server sees for these headers. */
async function whoami(headers: Record<string, string>): Promise<{ status: number; body: Json }> {
  return post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, headers);
}

async function tokenReview(token: string, audiences?: string[]): Promise<Json> {
  const res = await post('/apis/authentication.k8s.io/v1/tokenreviews',
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, ...(audiences ? { audiences } : {}) } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function createServiceAccount(name: string): Promise<string> {
  const res = await post(`/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.metadata.uid as string;
}

async function requestToken(sa: string, spec: Json = {}): Promise<{ status: number; body: Json }> {
  return post(`/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
}

async function tokenFor(sa: string, spec: Json = {}): Promise<string> {
  const res = await requestToken(sa, spec);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.status.token as string;
}

/** A write the credentials must not be able to make: 401, and etcd still has no such key. */
async function expectRefusedWrite(headers: Record<string, string>, expected: { status: number; body: Json } = { status: 401, body: unauthorized }): Promise<void> {
  const name = `cm-${Math.random().toString(36).slice(2, 8)}`;
  const res = await post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }, headers);
  expect({ status: res.status, body: res.body }).toEqual(expected);
  expect(await server.etcd.get(`/configmaps/${ns}/${name}`)).toBeNull();
}

function claimsOf(token: string): Json {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Json;
}

beforeAll(async () => {
  server = await startTestServer({
    authenticators: [], anonymous: false,
    tokenAuth: { staticTokens, serviceAccounts: { issuers: [issuer], publicKeys: [keys.publicKey], signingKey: keys.privateKey } },
  });
  expect((await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status).toBe(201);
});
afterAll(async () => { await server?.close(); });

describe('static tokens (--token-auth-file)', () => {
  it('authenticate their user, with system:authenticated added', async () => {
    const res = await whoami(bearer(aliceToken));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview',
      status: { userInfo: { username: 'alice', uid: '1001', groups: ['dev', 'ops', 'system:authenticated'] } },
    });
    expect(res.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('SelfSubjectReview is served as v1beta1 too (kubectl 1.27)', async () => {
    const res = await post('/apis/authentication.k8s.io/v1beta1/selfsubjectreviews',
      { apiVersion: 'authentication.k8s.io/v1beta1', kind: 'SelfSubjectReview' }, bearer(aliceToken));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ apiVersion: 'authentication.k8s.io/v1beta1', status: { userInfo: { username: 'alice' } } });
  });
});

describe('no or bad credentials: 401, nothing written', () => {
  it('no credentials with anonymous auth off', async () => {
    await expectRefusedWrite({});
    const res = await server.request.get('/api/v1/namespaces');
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthorized);
  });

  it('an unknown token, and a token in another scheme', async () => {
    await expectRefusedWrite(bearer('nobody-has-this'));
    await expectRefusedWrite({ Authorization: 'Basic YWRtaW46YWRtaW4=' });
    expect((await tokenReview('nobody-has-this')).status).toEqual({ user: {}, error: 'invalid bearer token' });
  });
});

describe('TokenRequest (serviceaccounts/token)', () => {
  let saUid = '';
  beforeAll(async () => { saUid = await createServiceAccount('builder'); });

  it('issues a token with upstream\'s claims and defaults', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await requestToken('builder');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest',
      metadata: { name: 'builder', namespace: ns },
      spec: { audiences: [issuer], expirationSeconds: 3600, boundObjectRef: null },
    });
    const claims = claimsOf(res.body.status.token as string);
    expect(Object.keys(claims)).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    expect(claims).toMatchObject({
      aud: [issuer], iss: issuer, sub: `system:serviceaccount:${ns}:builder`,
      'kubernetes.io': { namespace: ns, serviceaccount: { name: 'builder', uid: saUid } },
    });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(Date.parse(res.body.status.expirationTimestamp as string) / 1000).toBe(claims.exp);
    const header = JSON.parse(Buffer.from((res.body.status.token as string).split('.')[0]!, 'base64url').toString()) as Json;
    expect(Object.keys(header)).toEqual(['alg', 'kid']);
    expect(header.alg).toBe('RS256');
  });

  it('the token authenticates as the service account', async () => {
    const token = await tokenFor('builder');
    const res = await whoami(bearer(token));
    expect(res.status).toBe(201);
    const jti = claimsOf(token).jti as string;
    expect(res.body.status.userInfo).toEqual({
      username: `system:serviceaccount:${ns}:builder`, uid: saUid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${jti}`] },
    });
    const review = await tokenReview(token);
    expect(review.status).toEqual({ authenticated: true, user: res.body.status.userInfo, audiences: [issuer] });
  });

  it('refuses a duration under 10 minutes or over 2^32 seconds', async () => {
    const short = await requestToken('builder', { expirationSeconds: 60 });
    expect(short.status).toBe(422);
    expect(short.body.message).toBe('TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
    // (upstream omits the empty details.name; pkg/apierrors.invalid still writes "name": "")
    expect(short.body.details).toMatchObject({ group: 'authentication.k8s.io', kind: 'TokenRequest', causes: [{
      reason: 'FieldValueInvalid', message: 'Invalid value: 60: may not specify a duration less than 10 minutes', field: 'spec.expirationSeconds',
    }] });
    const long = await requestToken('builder', { expirationSeconds: 2 ** 32 + 1 });
    expect(long.status).toBe(422);
    expect(long.body.message).toBe(`TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: ${2 ** 32 + 1}: may not specify a duration larger than 2^32 seconds`);
  });

  it('404 for a missing service account; 422 for a body naming another', async () => {
    const res = await requestToken('nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ reason: 'NotFound', message: 'serviceaccounts "nope" not found', details: { name: 'nope', kind: 'serviceaccounts' } });
    const other = await post(`/api/v1/namespaces/${ns}/serviceaccounts/builder/token`,
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { name: 'other' }, spec: {} });
    expect(other.status).toBe(422);
    expect(other.body.message).toBe('TokenRequest.authentication.k8s.io "builder" is invalid: metadata.name: Invalid value: "other": must match the service account name if specified');
  });

  it('binds to pods, secrets and nodes that exist, with their uid', async () => {
    const bad = await requestToken('builder', { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('cannot bind token to object of type /v1, Kind=ConfigMap');
    const missing = await requestToken('builder', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'ghost' } });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('pods "ghost" not found');
    const secret = await post(`/api/v1/namespaces/${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bound' } });
    expect(secret.status).toBe(201);
    const conflict = await requestToken('builder', { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'bound', uid: 'not-its-uid' } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toBe('Operation cannot be fulfilled on Secret "bound": the UID in the bound object reference (not-its-uid) does not match the UID in record. The object might have been deleted and then recreated');
    const token = await tokenFor('builder', { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'bound', uid: secret.body.metadata.uid } });
    expect(claimsOf(token)['kubernetes.io'].secret).toEqual({ name: 'bound', uid: secret.body.metadata.uid });
    expect((await whoami(bearer(token))).status).toBe(201);
    // Deleting the secret invalidates the token, once the watch cache the verifier reads has seen it.
    expect((await server.request.delete(`/api/v1/namespaces/${ns}/secrets/bound`).set(asAdmin)).status).toBe(200);
    await eventually(async () => expectRefusedWrite(bearer(token)));
    expect((await tokenReview(token)).status).toEqual({ user: {}, error: 'service account token has been invalidated' });
  });

  it('a pod-bound token carries the pod (and node) in the user\'s extra', async () => {
    const pod = await post(`/api/v1/namespaces/${ns}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'runner' },
      spec: { serviceAccountName: 'builder', nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox' }] },
    });
    expect(pod.status, JSON.stringify(pod.body)).toBe(201);
    const wrong = await createServiceAccount('other-sa');
    expect(wrong).not.toBe('');
    const mismatch = await requestToken('other-sa', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'runner' } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.message).toBe('cannot bind token for serviceaccount "other-sa" to pod running with different serviceaccount name.');
    const token = await tokenFor('builder', { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'runner' } });
    expect(claimsOf(token)['kubernetes.io']).toMatchObject({ pod: { name: 'runner', uid: pod.body.metadata.uid }, node: { name: 'node-a' } });
    const res = await whoami(bearer(token));
    expect(res.body.status.userInfo.extra).toEqual({
      'authentication.kubernetes.io/pod-name': ['runner'], 'authentication.kubernetes.io/pod-uid': [pod.body.metadata.uid],
      'authentication.kubernetes.io/node-name': ['node-a'],
      'authentication.kubernetes.io/credential-id': [`JTI=${claimsOf(token).jti as string}`],
    });
  });
});

describe('service-account tokens the authenticator refuses (401, nothing written)', () => {
  let saUid = '';
  beforeAll(async () => { saUid = await createServiceAccount('victim'); });

  it('an expired token', async () => {
    const { token } = jwtTokenIssuer(issuer, keys.privateKey).issue({
      serviceAccount: { namespace: ns, name: 'victim', uid: saUid }, expirationSeconds: 600, audiences: [issuer],
      now: new Date(Date.now() - 3600_000),
    });
    await expectRefusedWrite(bearer(token));
    expect((await tokenReview(token)).status).toEqual({ user: {}, error: 'service account token has expired' });
  });

  it('a token signed with another key', async () => {
    const { token } = jwtTokenIssuer(issuer, otherKeys.privateKey).issue({
      serviceAccount: { namespace: ns, name: 'victim', uid: saUid }, expirationSeconds: 600, audiences: [issuer], now: new Date(),
    });
    await expectRefusedWrite(bearer(token));
    expect((await tokenReview(token)).status).toEqual({ user: {}, error: 'go-jose/go-jose: error in cryptographic primitive' });
  });

  it('a token for another audience', async () => {
    const token = await tokenFor('victim', { audiences: ['vault'] });
    await expectRefusedWrite(bearer(token));
    expect((await tokenReview(token)).status).toEqual({
      user: {}, error: `token audiences ["vault"] is invalid for the target audiences ["${issuer}"]`,
    });
    // ...which TokenReview accepts for that audience.
    expect((await tokenReview(token, ['vault'])).status).toMatchObject({ authenticated: true, audiences: ['vault'] });
  });

  it('a token whose service account was deleted, or recreated with another uid', async () => {
    const token = await tokenFor('victim');
    expect((await server.request.delete(`/api/v1/namespaces/${ns}/serviceaccounts/victim`).set(asAdmin)).status).toBe(200);
    // The verifier reads the watch cache first, as upstream's cached getter does: wait for it to see the delete.
    await eventually(async () => expectRefusedWrite(bearer(token)));
    expect((await tokenReview(token)).status).toEqual({ user: {}, error: 'serviceaccounts "victim" not found' });
    const newUid = await createServiceAccount('victim');
    await expectRefusedWrite(bearer(token));
    await eventually(async () => expect((await tokenReview(token)).status).toEqual({ user: {}, error: `service account UID (${newUid}) does not match claim (${saUid})` }));
  });

  it('TokenReview needs a token', async () => {
    const res = await post('/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: {} });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('token is required for TokenReview in authentication');
  });
});

describe('impersonation', () => {
  it('acts as the user, groups, uid and extra asked for', async () => {
    const res = await server.request.post('/apis/authentication.k8s.io/v1/selfsubjectreviews').set(asAdmin)
      .set('Impersonate-User', 'someone').set('Impersonate-Group', twoGroups).set('Impersonate-Uid', 'u-1')
      .set('Impersonate-Extra-Scopes', 'view').set('Impersonate-Extra-Acme.com%2fproject', 'p1')
      .send({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    expect(res.status).toBe(201);
    expect(res.body.status.userInfo).toEqual({
      username: 'someone', uid: 'u-1', groups: ['g1', 'g2', 'system:authenticated'],
      extra: { scopes: ['view'], 'acme.com/project': ['p1'] },
    });
  });

  it('a service-account user gets its groups', async () => {
    const res = await whoami({ ...asAdmin, 'Impersonate-User': `system:serviceaccount:${ns}:robot` });
    expect(res.body.status.userInfo).toEqual({
      username: `system:serviceaccount:${ns}:robot`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
    });
  });

  it('groups without a user are a 400', async () => {
    const res = await server.request.get('/api/v1/namespaces').set(asAdmin).set('Impersonate-Group', twoGroups);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ reason: 'BadRequest', message: 'requested [{Group  g1    } {Group  g2    }] without impersonating a user' });
  });
});

describe('impersonation without the impersonate verb', () => {
  let denying: TestServer;
  beforeAll(async () => {
    denying = await startTestServer({ authenticators: [], anonymous: false, authorizationModes: ['AlwaysDeny'], tokenAuth: { staticTokens } });
  });
  afterAll(async () => { await denying?.close(); });

  it.each([
    [{ 'Impersonate-User': 'someone' }, 403, 'users "someone" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope: Everything is forbidden.',
      { name: 'someone', kind: 'users' }],
    [{ 'Impersonate-User': 'system:serviceaccount:kube-system:admin' }, 403,
      'serviceaccounts "admin" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "kube-system": Everything is forbidden.',
      { name: 'admin', kind: 'serviceaccounts' }],
  ])('%j is %i', async (headers, status, message, details) => {
    const res = await denying.request.post('/api/v1/namespaces').set(bearer(aliceToken)).set(headers)
      .send({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'not-made' } });
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', details, code: 403 });
    expect(await denying.etcd.get('/namespaces/not-made')).toBeNull();
  });

  it('system:masters may impersonate', async () => {
    const res = await denying.request.get('/api/v1/namespaces').set(asAdmin).set('Impersonate-User', 'someone');
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('namespaces is forbidden: User "someone" cannot list resource "namespaces" in API group "" at the cluster scope: Everything is forbidden.');
  });
});

describe('TokenRequest bodies of the wrong shape', () => {
  it('a string where expirationSeconds is a number is a 400 and issues nothing', async () => {
    const res = await server.request.post(`/api/v1/namespaces/${ns}/serviceaccounts/default/token`)
      .set(asAdmin).send({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 'x' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });
});

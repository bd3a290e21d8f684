/**
 * Authentication with real kubectl 1.27, 1.32 and 1.33 (and the dispatcher): `kubectl create token`
 * (TokenRequest; 1.32+ send it as protobuf), `kubectl auth whoami` (SelfSubjectReview, v1beta1 from
 * 1.27) as the admin, with a token, and impersonating (--as); a forged token and a client
 * certificate of another CA are refused as upstream. The test cluster runs RBAC with anonymous
 * auth on (hack/local-components.ts), so a service account and system:anonymous get Forbidden.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { ensurePki } from '../../hack/pki.ts';
import { writeKubeconfig } from '../../hack/kubeconfig.ts';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { jwtTokenIssuer } from '../../pkg/auth/serviceaccount/index.ts';
import { Kubectl, kubectlBinaries, tableRecords, type KubectlTarget } from '../helpers/kubectl.ts';

const issuer = 'https://kubernetes.default.svc.cluster.local';
const unauthorized = 'error: You must be logged in to the server (Unauthorized)';

let cluster: TestCluster;
let foreignCertKubeconfig: string;

/** A kubeconfig that authenticates with a bearer token only (no client certificate). */
function tokenKubeconfig(path: string, token: string): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, [
    'apiVersion: v1', 'kind: Config',
    'clusters:', `- name: c`, '  cluster:', `    server: ${cluster.apiserverUrl}`, `    certificate-authority-data: ${b64(cluster.tls.ca)}`,
    'users:', '- name: t', '  user:', `    token: ${token}`,
    'contexts:', '- name: c', '  context: {cluster: c, user: t}',
    'current-context: c', '',
  ].join('\n'), { mode: 0o600 });
  return path;
}

/** The same binary against another kubeconfig (kubectl's cache stays per binary and cluster). */
function withKubeconfig(k: Kubectl, kubeconfig: string): Kubectl {
  const target: KubectlTarget = { dir: k.cluster.dir, kubeconfig, logTail: (n) => cluster.logTail(n) };
  return new Kubectl(target, { label: `${k.binary.label}-alt`, path: k.binary.path });
}

function anonymousGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${cluster.apiserverUrl}${path}`, { ca: cluster.tls.ca }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function whoamiTable(out: string): Record<string, string> {
  return Object.fromEntries(tableRecords(out).map((r) => [r.ATTRIBUTE!, r.VALUE!]));
}

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'e2e-auth' });
  // A client certificate from a CA the apiserver does not trust (same subject as the admin's).
  const foreign = await ensurePki(join(cluster.dir, 'foreign-pki'));
  foreignCertKubeconfig = join(cluster.dir, 'foreign-cert.kubeconfig');
  writeKubeconfig(foreignCertKubeconfig, {
    server: cluster.apiserverUrl, caPem: cluster.tls.ca,
    clientCertPem: readFileSync(foreign.adminCert, 'utf8'), clientKeyPem: readFileSync(foreign.adminKey, 'utf8'),
  });
});

afterAll(async () => {
  await cluster?.stop();
});

describe.each(kubectlBinaries(['1.27', '1.32', '1.33']))('$label', (binary) => {
  let k: Kubectl;
  const ns = `auth-${binary.label.replace(/\W/g, '-')}`;

  beforeAll(async () => {
    k = new Kubectl(cluster, binary);
    await k.ok(['create', 'namespace', ns]);
    // No controller-manager here: create the namespace's default service account as it would.
    await k.ok(['create', 'serviceaccount', 'default', '-n', ns]);
  });

  it('auth whoami as the admin prints the client certificate\'s user', async () => {
    const table = whoamiTable(await k.ok(['auth', 'whoami']));
    expect(table).toEqual({ Username: 'kubernetes-admin', Groups: '[system:masters system:authenticated]' });
  });

  it('create token, then auth whoami with it prints the service account', async () => {
    const token = (await k.ok(['create', 'token', 'default', '-n', ns])).trim();
    expect(token.split('.')).toHaveLength(3);
    const sa = JSON.parse(await k.ok(['get', 'serviceaccount', 'default', '-n', ns, '-o', 'json'])) as { metadata: { uid: string } };
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { jti: string; exp: number; iat: number };
    expect(claims.exp - claims.iat).toBe(3600);
    const dir = join(cluster.dir, 'kubeconfigs');
    mkdirSync(dir, { recursive: true });
    const asToken = withKubeconfig(k, tokenKubeconfig(join(dir, `${ns}.kubeconfig`), token));
    const out = await asToken.ok(['auth', 'whoami']);
    expect(out.split('\n')[0]).toMatch(/^ATTRIBUTE\s+VALUE$/);
    expect(whoamiTable(out)).toEqual({
      Username: `system:serviceaccount:${ns}:default`,
      UID: sa.metadata.uid,
      Groups: `[system:serviceaccounts system:serviceaccounts:${ns} system:authenticated]`,
      'Extra: authentication.kubernetes.io/credential-id': `[JTI=${claims.jti}]`,
    });
    // Ordinary requests are authorized as the service account (RBAC grants it nothing here)...
    expect((await asToken.fails(['get', 'serviceaccount', 'default', '-n', ns])).trim()).toBe(
      `Error from server (Forbidden): serviceaccounts "default" is forbidden: User "system:serviceaccount:${ns}:default" cannot get resource "serviceaccounts" in API group "" in the namespace "${ns}"`);
    // ...which may not impersonate.
    expect((await asToken.fails(['--as=someone', 'get', 'namespaces'])).trim()).toBe(
      `Error from server (Forbidden): users "someone" is forbidden: User "system:serviceaccount:${ns}:default" cannot impersonate resource "users" in API group "" at the cluster scope`);
  });

  it('create token refuses a duration under 10 minutes', async () => {
    const err = await k.fails(['create', 'token', 'default', '-n', ns, '--duration=1m']);
    expect(err.trim()).toBe('error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
  });

  it('--as impersonates another user', async () => {
    expect(whoamiTable(await k.ok(['--as=someone', 'auth', 'whoami']))).toEqual({ Username: 'someone', Groups: '[system:authenticated]' });
    expect(whoamiTable(await k.ok(['--as=someone', '--as-group=devs', '--as-uid=42', 'auth', 'whoami'])))
      .toEqual({ Username: 'someone', UID: '42', Groups: '[devs system:authenticated]' });
  });

  it('a forged token is Unauthorized', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sa = JSON.parse(await k.ok(['get', 'serviceaccount', 'default', '-n', ns, '-o', 'json'])) as { metadata: { uid: string } };
    const { token } = jwtTokenIssuer(issuer, privateKey).issue({
      serviceAccount: { namespace: ns, name: 'default', uid: sa.metadata.uid }, expirationSeconds: 3600, audiences: [issuer], now: new Date(),
    });
    const dir = join(cluster.dir, 'kubeconfigs');
    mkdirSync(dir, { recursive: true });
    const forged = withKubeconfig(k, tokenKubeconfig(join(dir, `${ns}-forged.kubeconfig`), token));
    expect((await forged.fails(['auth', 'whoami'])).trim()).toBe(unauthorized);
    // kubectl's own wording for a failed create; the server's answer is the same 401.
    expect((await forged.fails(['create', 'configmap', 'forged', '-n', ns])).trim()).toBe('error: failed to create configmap: Unauthorized');
    expect((await k.fails(['get', 'configmap', 'forged', '-n', ns])).trim()).toBe('Error from server (NotFound): configmaps "forged" not found');
  });

  // kubectl without credentials prompts for a password; a plain HTTPS client asks instead.
  it('no credentials is system:anonymous, which RBAC refuses', async () => {
    const res = await anonymousGet(`/api/v1/namespaces/${ns}/configmaps`);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ reason: 'Forbidden',
      message: `configmaps is forbidden: User "system:anonymous" cannot list resource "configmaps" in API group "" in the namespace "${ns}"` });
  });

  it('a client certificate of another CA writes nothing', async () => {
    const foreign = withKubeconfig(k, foreignCertKubeconfig);
    await foreign.fails(['create', 'configmap', 'foreign', '-n', ns]);
    expect((await k.fails(['get', 'configmap', 'foreign', '-n', ns])).trim()).toBe('Error from server (NotFound): configmaps "foreign" not found');
  });

  it('a client certificate of another CA is Unauthorized, even with anonymous auth on', async () => {
    const foreign = withKubeconfig(k, foreignCertKubeconfig);
    expect((await foreign.fails(['get', 'configmaps', '-n', ns])).trim()).toBe(unauthorized);
  });
});

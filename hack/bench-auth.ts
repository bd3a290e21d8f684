/**
 * (h) What authentication, authorization and admission cost per request, with RBAC on and 1,000
 * Roles and 1,000 RoleBindings stored: the same GETs and pod POSTs as a service account, whose
 * bearer token is a JWT checked on every request and whose rights come from a RoleBinding found
 * through the subject index, against the admin, whose client certificate's group system:masters
 * is allowed without looking at any policy.
 */
import { ApiClient, benchPod, median, percentile, runPool } from './bench-load.ts';

export interface AuthBenchOptions {
  roles: number;
  requests: number;
  concurrency: number;
}

const ns = 'bench-auth';
const rbac = '/apis/rbac.authorization.k8s.io/v1';
const fmt = (n: number, digits = 0): string => n.toFixed(digits);

async function seedPolicy(api: ApiClient, roles: number, concurrency: number): Promise<number> {
  return runPool(roles, concurrency, async (i) => {
    await api.must(201, 'POST', `${rbac}/namespaces/${ns}/roles`, JSON.stringify({
      metadata: { name: `role-${i}` }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'], resourceNames: [`cm-${i}`] }],
    }));
    await api.must(201, 'POST', `${rbac}/namespaces/${ns}/rolebindings`, JSON.stringify({
      metadata: { name: `binding-${i}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${i}` },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `user-${i}` }],
    }));
  });
}

/** A service account allowed to read and create pods in the namespace, and a token for it. */
async function serviceAccountToken(api: ApiClient): Promise<string> {
  for (const name of ['default', 'bench-writer']) {
    await api.must(201, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, JSON.stringify({ metadata: { name } }));
  }
  await api.must(201, 'POST', `${rbac}/namespaces/${ns}/roles`, JSON.stringify({
    metadata: { name: 'writer' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'create'] }],
  }));
  await api.must(201, 'POST', `${rbac}/namespaces/${ns}/rolebindings`, JSON.stringify({
    metadata: { name: 'writer' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'writer' },
    subjects: [{ kind: 'ServiceAccount', name: 'bench-writer', namespace: ns }],
  }));
  const body = await api.must(201, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts/bench-writer/token`,
    JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }));
  return (JSON.parse(body.toString()) as { status: { token: string } }).status.token;
}

async function getLatencies(client: ApiClient, path: string, n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await client.must(200, 'GET', path);
    samples.push(performance.now() - start);
  }
  return samples;
}

async function postRate(client: ApiClient, prefix: string, n: number, concurrency: number): Promise<number> {
  const ms = await runPool(n, concurrency, (i) => client.must(201, 'POST', `/api/v1/namespaces/${ns}/pods`, benchPod(ns, `${prefix}${i}`)).then(() => undefined));
  return (n * 1000) / ms;
}

export async function benchAuth(admin: ApiClient, baseUrl: string, opts: AuthBenchOptions): Promise<[string, string][]> {
  await admin.must(201, 'POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: ns } }));
  const seedMs = await seedPolicy(admin, opts.roles, opts.concurrency);
  const token = await serviceAccountToken(admin);
  const sa = new ApiClient(baseUrl, admin.tls, opts.concurrency, token);
  try {
    await admin.must(201, 'POST', `/api/v1/namespaces/${ns}/pods`, benchPod(ns, 'probe'));
    const probe = `/api/v1/namespaces/${ns}/pods/probe`;
    // Warm both connections and caches, then alternate so drift hits both alike.
    await getLatencies(admin, probe, 50);
    await getLatencies(sa, probe, 50);
    const adminGets = [...await getLatencies(admin, probe, opts.requests / 2), ...await getLatencies(admin, probe, opts.requests / 2)];
    const saGets = [...await getLatencies(sa, probe, opts.requests / 2), ...await getLatencies(sa, probe, opts.requests / 2)];
    const adminRate = await postRate(admin, 'admin-', opts.requests, opts.concurrency);
    const saRate = await postRate(sa, 'sa-', opts.requests, opts.concurrency);
    const p = (xs: number[], q: number): string => fmt(percentile(xs, q), 2);
    return [
      [`(h) RBAC on, ${opts.roles} Roles + ${opts.roles} RoleBindings stored (seeded in ${fmt(seedMs / 1000, 1)} s)`, ''],
      [`    GET pod p50 / p99, admin (system:masters, x509), ${opts.requests} sequential`, `${p(adminGets, 50)} / ${p(adminGets, 99)} ms`],
      [`    GET pod p50 / p99, service-account token (JWT + RBAC)`, `${p(saGets, 50)} / ${p(saGets, 99)} ms`],
      ['    authn + authz cost per GET (median difference)', `${fmt(median(saGets) - median(adminGets), 2)} ms`],
      [`    POST pod/s, admin / service account (${opts.concurrency} in flight)`, `${fmt(adminRate)} / ${fmt(saRate)} (ratio ${fmt(saRate / adminRate, 2)})`],
    ];
  } finally {
    sa.close();
  }
}

/**
 * Auditing: with a policy and a log file, each request the policy selects leaves audit.k8s.io/v1
 * events (RequestReceived, ResponseComplete) an operator can read, one JSON line each.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyFile, logBackend, type AuditBackend } from '../../pkg/audit/index.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let dir: string;
let backend: AuditBackend;
const logPath = () => join(dir, 'audit.log');

const policy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: None
  resources: [{ group: "", resources: ["secrets"] }]
- level: None
  nonResourceURLs: ["/healthz*", "/version"]
- level: Metadata
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audit-'));
  writeFileSync(join(dir, 'policy.yaml'), policy);
  backend = logBackend(logPath());
  server = await startTestServer({ audit: { policy: loadPolicyFile(join(dir, 'policy.yaml')), backend } });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function events(): Promise<Record<string, unknown>[]> {
  // The backend writes through a stream; wait until what was written has reached the file.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return readFileSync(logPath(), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('audit log', () => {
  it('records a create with its user, object, status and authorization decision', async () => {
    const res = await server.request.post('/api/v1/namespaces').set('User-Agent', 'audit-test/1.0').send({ metadata: { name: 'audited' } });
    expect(res.status).toBe(201);
    const auditId = res.headers['audit-id'];
    expect(auditId).toMatch(/^[0-9a-f-]{36}$/);
    const mine = (await events()).filter((e) => e.auditID === auditId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', stage: 'ResponseComplete',
      requestURI: '/api/v1/namespaces', verb: 'create', userAgent: 'audit-test/1.0',
      user: { username: 'test-admin', groups: ['system:masters', 'system:authenticated'] },
      objectRef: { resource: 'namespaces', apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: 201 },
      annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
    });
    expect(mine[0]!.requestReceivedTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('records a failure with its Status', async () => {
    const res = await server.request.get('/api/v1/namespaces/audited/configmaps/missing');
    expect(res.status).toBe(404);
    const [event] = (await events()).filter((e) => e.auditID === res.headers['audit-id']);
    expect(event).toMatchObject({
      verb: 'get',
      objectRef: { resource: 'configmaps', namespace: 'audited', name: 'missing', apiVersion: 'v1' },
      responseStatus: { metadata: {}, status: 'Failure', message: 'configmaps "missing" not found', reason: 'NotFound', code: 404 },
    });
  });

  it('leaves out what the policy gives level None', async () => {
    const secret = await server.request.get('/api/v1/namespaces/audited/secrets');
    const version = await server.request.get('/version');
    const ids = new Set((await events()).map((e) => e.auditID));
    expect(ids.has(secret.headers['audit-id'])).toBe(false);
    expect(ids.has(version.headers['audit-id'])).toBe(false);
  });

  it('refuses a policy asking for request bodies, which this server does not record', () => {
    writeFileSync(join(dir, 'bodies.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: RequestResponse\n');
    expect(() => loadPolicyFile(join(dir, 'bodies.yaml'))).toThrow('audit policy rules[0].level: RequestResponse is not supported by this apiserver (it records metadata only)');
  });
});

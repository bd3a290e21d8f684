/**
 * startKubeletServer over real HTTPS with a real PKI (hack/pki.ts): client-certificate checks,
 * every containerLogs option, following, the Summary API and unknown paths, over the in-memory
 * sources of testing.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import { checkServerIdentity } from 'node:tls';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki, type PkiPaths } from '../../../hack/pki.ts';
import { startKubeletServer, type KubeletServer } from './index.ts';
import type { NodeUsage, UsageSource } from './sources.ts';
import { MemoryPods } from './testing.ts';
import { rfc3339NanoFixed } from './container-logs.ts';

const usage: UsageSource = {
  nodeUsage(nodeName: string): NodeUsage | undefined {
    if (nodeName !== 'node-a') return undefined;
    return {
      nodeName, usageNanoCores: 250_000_000, workingSetBytes: 512 * 1024 * 1024,
      pods: [{ namespace: 'ns', name: 'web', uid: 'u1', containers: [
        { name: 'app', usageNanoCores: 1_000_000, workingSetBytes: 4096 },
        { name: 'side', usageNanoCores: 500_000, workingSetBytes: 1024 },
      ] }],
    };
  },
};

interface Reply { status: number; body: string; headers: Record<string, string | string[] | undefined> }

let dir: string;
let foreignDir: string;
let pki: PkiPaths;
let foreign: PkiPaths;
let server: KubeletServer;
const pods = new MemoryPods();
const t0 = new Date('2025-01-02T03:04:05.678Z');
const now = new Date(t0.getTime() + 60_000);

function get(path: string, opts: { identity?: PkiPaths | null; servername?: string } = {}): Promise<Reply> {
  const identity = opts.identity === undefined ? pki : opts.identity;
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port: server.port, path, method: 'GET',
      ca: readFileSync(pki.caCert), servername: opts.servername,
      // The node name travels as SNI only; the certificate is checked against the address dialled.
      checkServerIdentity: (_host, cert) => checkServerIdentity('127.0.0.1', cert),
      ...(identity ? { cert: readFileSync(identity.kubeletClientCert), key: readFileSync(identity.kubeletClientKey) } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubelet-server-'));
  foreignDir = mkdtempSync(join(tmpdir(), 'kubelet-server-foreign-'));
  [pki, foreign] = await Promise.all([ensurePki(dir), ensurePki(foreignDir)]);
  const log = pods.add('ns', 'web', 'app');
  for (let i = 1; i <= 5; i++) log.write(`line ${i}`, new Date(t0.getTime() + i * 10_000));
  log.terminate();
  const previous = pods.add('ns', 'web', 'app', true);
  previous.write('before restart', t0);
  previous.terminate();
  pods.add('ns', 'web', 'side').write('side car', t0);
  server = await startKubeletServer({
    host: '127.0.0.1', port: 0,
    tls: { certPem: readFileSync(pki.servingCert, 'utf8'), keyPem: readFileSync(pki.servingKey, 'utf8'), clientCaPem: readFileSync(pki.caCert, 'utf8') },
    logs: pods, usage, now: () => now,
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(foreignDir, { recursive: true, force: true });
});

describe('kubelet server authentication', () => {
  it.each([
    ['no client certificate', null],
    ['a certificate from another CA', 'foreign'],
  ] as const)('answers 401 Unauthorized to %s', async (_label, who) => {
    const r = await get('/healthz', { identity: who === 'foreign' ? foreign : null });
    expect(r.status).toBe(401);
    expect(r.body).toBe('Unauthorized\n');
  });

  it('serves healthz to a client the CA signed', async () => {
    expect(await get('/healthz')).toMatchObject({ status: 200, body: 'ok' });
  });

  it('answers 404 to unknown paths', async () => {
    expect(await get('/pods/x')).toMatchObject({ status: 404, body: '404 page not found\n' });
    expect(await get('/containerLogs/ns/web')).toMatchObject({ status: 404 });
  });
});

describe('kubelet containerLogs', () => {
  const all = 'line 1\nline 2\nline 3\nline 4\nline 5\n';

  it.each([
    ['', all],
    ['?tailLines=2', 'line 4\nline 5\n'],
    ['?tail=2', 'line 4\nline 5\n'],
    ['?tail=all', all],
    ['?tailLines=0', ''],
    ['?limitBytes=10', 'line 1\nlin'],
    ['?sinceSeconds=25', 'line 4\nline 5\n'],
    [`?sinceTime=${encodeURIComponent(new Date(t0.getTime() + 30_000).toISOString().replace('.678', ''))}`, 'line 3\nline 4\nline 5\n'],
    ['?tailLines=3&sinceSeconds=15', 'line 5\n'],
    ['?previous=true', 'before restart\n'],
    ['?follow=true', all],
  ])('GET containerLogs%s', async (query, expected) => {
    const r = await get(`/containerLogs/ns/web/app${query}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.body).toBe(expected);
  });

  it('prefixes each line with its RFC3339NanoFixed time stamp', async () => {
    const r = await get('/containerLogs/ns/web/app?timestamps=true&tailLines=1');
    expect(r.body).toBe('2025-01-02T03:04:55.678000000Z line 5\n');
    expect(rfc3339NanoFixed(new Date('2025-01-02T03:04:05.000Z'))).toBe('2025-01-02T03:04:05.000000000Z');
  });

  it.each([
    ['/containerLogs/ns/nope/app', 404, 'pod "nope" does not exist'],
    ['/containerLogs/ns/web/other', 404, 'container "other" not found in pod "web"'],
    ['/containerLogs/ns/web/side?previous=1', 400, 'previous terminated container "side" in pod "web" not found'],
    ['/containerLogs/ns/web/app?tailLines=x', 400, '{"message": "Unable to decode query."}'],
    ['/containerLogs/ns/web/app?sinceTime=yesterday', 400, '{"message": "Unable to decode query."}'],
    ['/containerLogs/ns/web/app?tailLines=-1', 422, '{"message": "Invalid request."}'],
    ['/containerLogs/ns/web/app?limitBytes=0', 422, '{"message": "Invalid request."}'],
    ['/containerLogs/ns/web/app?sinceSeconds=1&sinceTime=2025-01-01T00:00:00Z', 422, '{"message": "Invalid request."}'],
  ])('GET %s is %i', async (path, status, body) => {
    expect(await get(path)).toMatchObject({ status, body });
  });

  it('follows a running container until it terminates', async () => {
    const live = pods.add('ns', 'live', 'c');
    live.write('first', t0);
    const reply = get('/containerLogs/ns/live/c?follow=true');
    await waitFor(() => live.followerCount === 1);
    live.write('second', t0);
    live.write('third', t0);
    live.terminate();
    expect(await reply).toMatchObject({ status: 200, body: 'first\nsecond\nthird\n' });
  });

  it('stops following at limitBytes and when the client goes away', async () => {
    const live = pods.add('ns', 'live2', 'c');
    const reply = get('/containerLogs/ns/live2/c?follow=true&limitBytes=8');
    await waitFor(() => live.followerCount === 1);
    live.write('abcdef', t0);
    live.write('ghijkl', t0);
    expect(await reply).toMatchObject({ status: 200, body: 'abcdef\ng' });
    await waitFor(() => live.followerCount === 0);

    const req = https.request({
      host: '127.0.0.1', port: server.port, path: '/containerLogs/ns/live2/c?follow=1', ca: readFileSync(pki.caCert),
      cert: readFileSync(pki.kubeletClientCert), key: readFileSync(pki.kubeletClientKey),
    });
    req.on('error', () => undefined);
    req.end();
    await waitFor(() => live.followerCount === 1);
    req.destroy();
    await waitFor(() => live.followerCount === 0);
  });
});

describe('kubelet stats summary', () => {
  it('reports the node named by the TLS server name in the Summary API shape', async () => {
    const r = await get('/stats/summary', { servername: 'node-a' });
    expect(r.status).toBe(200);
    const time = now.toISOString();
    expect(JSON.parse(r.body)).toEqual({
      node: { nodeName: 'node-a', systemContainers: [], cpu: { time, usageNanoCores: 250_000_000 },
        memory: { time, workingSetBytes: 536870912, usageBytes: 536870912 } },
      pods: [{
        podRef: { name: 'web', namespace: 'ns', uid: 'u1' },
        containers: [
          { name: 'app', cpu: { time, usageNanoCores: 1_000_000 }, memory: { time, workingSetBytes: 4096, usageBytes: 4096 } },
          { name: 'side', cpu: { time, usageNanoCores: 500_000 }, memory: { time, workingSetBytes: 1024, usageBytes: 1024 } },
        ],
        cpu: { time, usageNanoCores: 1_500_000 }, memory: { time, workingSetBytes: 5120, usageBytes: 5120 },
      }],
    });
  });

  it('answers 404 for a node it does not run or when no node is named', async () => {
    expect((await get('/stats/summary', { servername: 'node-b' })).status).toBe(404);
    expect((await get('/stats/summary')).status).toBe(404);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * `GET pods/{name}/log` end to end: an in-process apiserver over the real etcd, a real
 * startKubeletServer over HTTPS with an in-memory log source, Node objects pointing at it and pods
 * bound to them. Every PodLogOptions field, following (and its end when the client leaves), the
 * real error messages, the WebSocket form, and real `kubectl logs`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { Kubectl, kubectlBinaries } from '../helpers/kubectl.ts';
import { createNamespace } from './support/fixtures.ts';
import { ensurePki, type PkiPaths } from '../../hack/pki.ts';
import { startKubeletServer, type KubeletServer } from '../../pkg/kubelet/server/index.ts';
import { MemoryPods, MemoryUsage, type MemoryLog } from '../../pkg/kubelet/server/testing.ts';
import { acceptKey, encodeFrame, FrameReader, opcodes, type Frame } from '../../pkg/util/websocket.ts';

const ns = 'logs';
/** An hour ago, in whole seconds (sinceTime has no fraction). */
const t0 = new Date(Math.floor((Date.now() - 3_600_000) / 1000) * 1000);
let dir: string;
let pki: PkiPaths;
let server: TestServer;
let kubelet: KubeletServer;
const pods = new MemoryPods();
let webLog: MemoryLog;

async function createNode(name: string, port: number): Promise<void> {
  const created = await server.request.post('/api/v1/nodes').send({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const status = await server.request.patch(`/api/v1/nodes/${name}/status`).set('Content-Type', 'application/merge-patch+json')
    .send({ status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } } });
  expect(status.status, JSON.stringify(status.body)).toBe(200);
}

async function createPod(name: string, containers: string[], nodeName?: string): Promise<void> {
  const res = await server.request.post(`/api/v1/namespaces/${ns}/pods`).send({
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: { ...(nodeName ? { nodeName } : {}), containers: containers.map((c) => ({ name: c, image: 'busybox:1.36' })) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const logPath = (pod: string, query = ''): string => `/api/v1/namespaces/${ns}/pods/${pod}/log${query}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pod-logs-'));
  pki = await ensurePki(dir);
  kubelet = await startKubeletServer({
    host: '127.0.0.1', port: 0, logs: pods, usage: new MemoryUsage(),
    tls: { certPem: readFileSync(pki.servingCert, 'utf8'), keyPem: readFileSync(pki.servingKey, 'utf8'), clientCaPem: readFileSync(pki.caCert, 'utf8') },
  });
  server = await startTestServer({
    kubelet: { certPem: readFileSync(pki.kubeletClientCert, 'utf8'), keyPem: readFileSync(pki.kubeletClientKey, 'utf8') },
  });
  await createNamespace(server, ns);
  await createNode('node-1', kubelet.port);
  webLog = pods.add(ns, 'web', 'app');
  for (let i = 1; i <= 4; i++) webLog.write(`hello ${i}`, new Date(t0.getTime() + i * 1000));
  webLog.write('recent', new Date());
  const previous = pods.add(ns, 'web', 'app', true);
  previous.write('crashed', t0);
  previous.terminate();
  await createPod('web', ['app'], 'node-1');
  pods.add(ns, 'two', 'a').write('from a', t0);
  pods.add(ns, 'two', 'b').write('from b', t0);
  await createPod('two', ['a', 'b'], 'node-1');
  pods.addWaiting(ns, 'starting', 'c', 'ContainerCreating');
  await createPod('starting', ['c'], 'node-1');
  await createPod('pending', ['c']);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await kubelet?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pods/log', () => {
  it('is listed in discovery as a get-only subresource of kind Pod', async () => {
    const res = await server.request.get('/api/v1');
    const log = (res.body.resources as { name: string }[]).find((r) => r.name === 'pods/log');
    expect(log).toEqual({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
  });

  it('streams the only container\'s log as text/plain', async () => {
    const res = await server.request.get(logPath('web'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.text).toBe('hello 1\nhello 2\nhello 3\nhello 4\nrecent\n');
  });

  it.each([
    ['?tailLines=2', 'hello 4\nrecent\n'],
    ['?limitBytes=12', 'hello 1\nhell'],
    ['?sinceSeconds=600', 'recent\n'],
    [`?sinceTime=${encodeURIComponent(new Date(t0.getTime() + 3000).toISOString().replace(/\.\d+Z$/, 'Z'))}`, 'hello 3\nhello 4\nrecent\n'],
    ['?previous=true', 'crashed\n'],
    ['?container=b', 'from b\n'],
  ])('passes %s to the kubelet', async (query, expected) => {
    const pod = query.startsWith('?container') ? 'two' : 'web';
    const res = await server.request.get(logPath(pod, query));
    expect(res.status).toBe(200);
    expect(res.text).toBe(expected);
  });

  it('prefixes RFC3339Nano time stamps with timestamps=true', async () => {
    const res = await server.request.get(logPath('web', '?timestamps=true&tailLines=4'));
    expect(res.text.split('\n')[0]).toBe(`${new Date(t0.getTime() + 2000).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')} hello 2`);
  });

  it('follows until the container ends', async () => {
    const log = pods.add(ns, 'follow', 'c');
    log.write('one');
    await createPod('follow', ['c'], 'node-1');
    const body = httpGet(logPath('follow', '?follow=true'));
    await until(() => log.followerCount === 1);
    log.write('two');
    log.write('three');
    log.terminate();
    expect(await body).toEqual({ status: 200, text: 'one\ntwo\nthree\n' });
  });

  it('stops asking the kubelet when the client goes away', async () => {
    const log = pods.add(ns, 'leave', 'c');
    await createPod('leave', ['c'], 'node-1');
    const req = http.get(`${server.url}${logPath('leave', '?follow=true')}`);
    req.on('error', () => undefined);
    const first = new Promise<string>((resolve) => req.on('response', (res) => res.once('data', (c: Buffer) => resolve(c.toString()))));
    await until(() => log.followerCount === 1);
    log.write('before leaving');
    expect(await first).toBe('before leaving\n');
    req.destroy();
    await until(() => log.followerCount === 0);
  });

  it.each([
    ['two', '', 400, 'BadRequest', 'a container name must be specified for pod two, choose one of: [a b]'],
    ['web', '?container=nope', 400, 'BadRequest', 'container nope is not valid for pod web'],
    ['starting', '', 400, 'BadRequest', 'container "c" in pod "starting" is waiting to start: ContainerCreating'],
    ['missing', '', 404, 'NotFound', 'pods "missing" not found'],
    ['web', '?tailLines=-1', 422, 'Invalid', 'PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0'],
    ['web', '?limitBytes=0', 422, 'Invalid', 'PodLogOptions "web" is invalid: limitBytes: Invalid value: 0: must be greater than 0'],
    ['web', '?tailLines=ten', 400, 'BadRequest', 'strconv.ParseInt: parsing "ten": invalid syntax'],
    ['web', '?sinceTime=yesterday', 400, 'BadRequest', 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"'],
  ])('GET %s/log%s is %i %s', async (pod, query, code, reason, message) => {
    const res = await server.request.get(logPath(pod, query));
    expect(res.status).toBe(code);
    expect(res.body).toMatchObject({ kind: 'Status', code, reason, message });
  });

  it('answers the kubelet\'s 404 as upstream\'s generic response', async () => {
    await createPod('ghost', ['c'], 'node-1');
    const res = await server.request.get(logPath('ghost'));
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ reason: 'NotFound', message: 'the server could not find the requested resource ( pods/log ghost)',
      details: { name: 'ghost', kind: 'pods/log' } });
  });

  it('gives an empty log for a pod on no node', async () => {
    const res = await server.request.get(logPath('pending'));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });

  it('fails with the dial error when the kubelet is unreachable', async () => {
    const closed = await startKubeletServer({
      host: '127.0.0.1', port: 0, logs: pods, usage: new MemoryUsage(),
      tls: { certPem: readFileSync(pki.servingCert, 'utf8'), keyPem: readFileSync(pki.servingKey, 'utf8'), clientCaPem: readFileSync(pki.caCert, 'utf8') },
    });
    await closed.close();
    await createNode('node-gone', closed.port);
    await createPod('orphan', ['c'], 'node-gone');
    const res = await server.request.get(logPath('orphan'));
    expect(res.status).toBe(500);
    expect(res.body.message).toBe(`Get "https://127.0.0.1:${closed.port}/containerLogs/${ns}/orphan/c": dial tcp 127.0.0.1:${closed.port}: connect: connection refused`);
  });
});

describe('pods/log with --kubelet-certificate-authority', () => {
  it('verifies the kubelet\'s serving certificate, unless insecureSkipTLSVerifyBackend', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'pod-logs-other-ca-'));
    const other = await ensurePki(otherDir);
    const client = { certPem: readFileSync(pki.kubeletClientCert, 'utf8'), keyPem: readFileSync(pki.kubeletClientKey, 'utf8') };
    const trusting = await startTestServer({ kubelet: { ...client, caPem: readFileSync(pki.caCert, 'utf8') } });
    const distrusting = await startTestServer({ kubelet: { ...client, caPem: readFileSync(other.caCert, 'utf8') } });
    try {
      for (const s of [trusting, distrusting]) {
        await createNamespace(s, ns);
        expect((await s.request.post('/api/v1/nodes').send({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } })).status).toBe(201);
        await s.request.patch('/api/v1/nodes/node-1/status').set('Content-Type', 'application/merge-patch+json')
          .send({ status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } } });
        await s.request.post(`/api/v1/namespaces/${ns}/pods`)
          .send({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox:1.36' }] } });
      }
      expect((await trusting.request.get(logPath('web', '?tailLines=1'))).text).toBe('recent\n');
      const refused = await distrusting.request.get(logPath('web', '?tailLines=1'));
      expect(refused.status).toBe(500);
      expect(refused.body.message).toBe(`Get "https://127.0.0.1:${kubelet.port}/containerLogs/${ns}/web/app?tailLines=1": `
        + 'tls: failed to verify certificate: x509: certificate signed by unknown authority');
      expect((await distrusting.request.get(logPath('web', '?tailLines=1&insecureSkipTLSVerifyBackend=true'))).text).toBe('recent\n');
    } finally {
      await trusting.close();
      await distrusting.close();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});

describe('pods/log over WebSocket', () => {
  it.each([
    ['binary.k8s.io', opcodes.binary, (p: Buffer) => p.toString()],
    ['base64.binary.k8s.io', opcodes.text, (p: Buffer) => Buffer.from(p.toString(), 'base64').toString()],
    ['', opcodes.binary, (p: Buffer) => p.toString()],
  ])('streams with protocol "%s"', async (protocol, opcode, decode) => {
    const ws = await webSocketGet(logPath('web', '?tailLines=2'), protocol);
    expect(ws.status).toBe(101);
    expect(ws.protocol).toBe(protocol || undefined);
    const data = ws.frames.filter((f) => f.opcode !== opcodes.close);
    expect(data.every((f) => f.opcode === opcode)).toBe(true);
    expect(data[0]!.payload.length).toBe(0); // wsstream's first, empty message
    expect(data.map((f) => decode(f.payload)).join('')).toBe('hello 4\nrecent\n');
    expect(ws.frames.at(-1)!.opcode).toBe(opcodes.close);
  });

  it('refuses an unknown sub-protocol', async () => {
    const ws = await webSocketGet(logPath('web'), 'v4.channel.k8s.io');
    expect(ws.status).toBe(403);
  });

  it('answers errors as a Status before upgrading', async () => {
    const ws = await webSocketGet(logPath('two'), 'binary.k8s.io');
    expect(ws.status).toBe(400);
    expect(JSON.parse(ws.body).message).toBe('a container name must be specified for pod two, choose one of: [a b]');
  });
});

describe('kubectl logs', () => {
  it('prints the log, a chosen container and the previous instance', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: t',
      'clusters: [{name: t, cluster: {server: "' + server.url + '"}}]',
      'users: [{name: u, user: {}}]',
      `contexts: [{name: t, context: {cluster: t, user: u, namespace: ${ns}}}]`, '',
    ].join('\n'));
    const kubectl = new Kubectl({ dir, kubeconfig, logTail: () => '' }, kubectlBinaries([])[0]!);
    expect(await kubectl.ok(['logs', 'web', '--tail=1'])).toBe('recent\n');
    expect(await kubectl.ok(['logs', 'two', '-c', 'a'])).toBe('from a\n');
    expect(await kubectl.ok(['logs', 'web', '--previous'])).toBe('crashed\n');
    // kubectl picks the first container itself (and says so) rather than letting the server refuse.
    const defaulted = await kubectl.run(['logs', 'two']);
    expect(defaulted).toMatchObject({ code: 0, stdout: 'from a\n', stderr: 'Defaulted container "a" out of: a, b\n' });
    expect(await kubectl.fails(['logs', 'starting'])).toBe(
      'Error from server (BadRequest): container "c" in pod "starting" is waiting to start: ContainerCreating\n');

    const log = pods.add(ns, 'tailing', 'c');
    await createPod('tailing', ['c'], 'node-1');
    const follower = kubectl.spawn(['logs', '-f', 'tailing']);
    try {
      await until(() => log.followerCount === 1);
      log.write('streamed');
      await follower.waitFor((out) => out === 'streamed\n', 'the first followed line');
      log.write('and ended');
      log.terminate();
      await follower.waitFor((out) => out === 'streamed\nand ended\n', 'the last line');
    } finally {
      await follower.stop();
    }
  });
});

function httpGet(path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    http.get(`${server.url}${path}`, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    }).on('error', reject);
  });
}

interface WebSocketReply { status: number; protocol?: string; frames: Frame[]; body: string }

/** A minimal client: the opening handshake, then every frame until the server closes. */
function webSocketGet(path: string, protocol: string): Promise<WebSocketReply> {
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = http.get(`${server.url}${path}`, {
      headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key,
        ...(protocol ? { 'Sec-WebSocket-Protocol': protocol } : {}),
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, frames: [], body }));
    });
    req.on('upgrade', (res, socket, head) => {
      expect(res.headers['sec-websocket-accept']).toBe(acceptKey(key));
      const reader = new FrameReader();
      const frames: Frame[] = [];
      const take = (chunk: Buffer): void => {
        for (const f of reader.push(chunk)) {
          frames.push(f);
          if (f.opcode === opcodes.close) socket.end(encodeFrame(opcodes.close, f.payload, randomBytes(4)));
        }
      };
      take(head);
      socket.on('data', take);
      socket.on('close', () => resolve({ status: 101, protocol: res.headers['sec-websocket-protocol'] as string | undefined, frames, body: '' }));
    });
  });
}

async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

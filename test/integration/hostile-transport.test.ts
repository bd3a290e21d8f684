/**
 * Hostile transport: oversized bodies and oversized request heads get what a client of
 * kube-apiserver sees, over raw node:http and raw sockets (supertest would buffer and set
 * Content-Length itself). Sources:
 * - bodies: endpoints/handlers/rest.go limitedReadBody with MaxRequestBodyBytes 3 MiB
 *   (server/config.go), errors.NewRequestEntityTooLargeError("limit is 3145728"), whether the body
 *   is chunked or has a Content-Length;
 * - heads: server/secure_serving.go sets MaxHeaderBytes 1 << 20; Go's net/http reads up to that
 *   plus 4096 bytes of request line and headers, and past it writes its own plain-text
 *   "431 Request Header Fields Too Large" (Content-Type text/plain; charset=utf-8, Connection: close).
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { collectionPath, createNamespace, entryFor, minimalObject, storedKeys } from './support/fixtures.ts';

let server: TestServer;
const ns = 'hostile-transport';
const configmaps = entryFor('configmaps');
const collection = collectionPath(configmaps, ns);

interface RawResponse { status: number; headers: http.IncomingHttpHeaders; body: string }

/** One request over a fresh connection; `chunks` are written one by one (chunked unless Content-Length is set). */
function rawRequest(method: string, path: string, headers: http.OutgoingHttpHeaders, chunks: Buffer[] = []): Promise<RawResponse> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer before the whole body is sent; a write error after that is not a failure.
    let answered = false;
    req.on('response', () => { answered = true; });
    req.on('error', (err) => { if (!answered) reject(err); });
    const writeNext = (i: number): void => {
      if (i === chunks.length) { req.end(); return; }
      if (req.destroyed) return;
      if (req.write(chunks[i]!)) writeNext(i + 1);
      else req.once('drain', () => writeNext(i + 1));
    };
    writeNext(0);
  });
}

/** A configmap whose JSON is `size` bytes or a little more, split into 64 KiB chunks. */
function oversizedConfigMap(name: string, size: number): Buffer[] {
  const obj = minimalObject(configmaps, name, ns) as Record<string, unknown>;
  obj.data = { big: 'x'.repeat(size) };
  const whole = Buffer.from(JSON.stringify(obj));
  const chunks: Buffer[] = [];
  for (let i = 0; i < whole.length; i += 64 * 1024) chunks.push(whole.subarray(i, i + 64 * 1024));
  return chunks;
}

const tooLarge = {
  kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
  message: 'Request entity too large: limit is 3145728', reason: 'RequestEntityTooLarge', code: 413,
};

beforeAll(async () => {
  server = await startTestServer();
  await createNamespace(server, ns);
});

afterAll(async () => { await server?.close(); });

describe('request bodies over 3 MiB', () => {
  let keysBefore: string[];
  beforeEach(async () => { keysBefore = await storedKeys(server, configmaps, ns); });

  it.each([
    { name: 'chunked', chunked: true },
    { name: 'with Content-Length', chunked: false },
  ])('a $name 3.5 MiB create gets the 413 Status and creates nothing', async ({ chunked }) => {
    const chunks = oversizedConfigMap(`big-${chunked ? 'chunked' : 'length'}`, 3.5 * 1024 * 1024);
    const length = chunks.reduce((n, c) => n + c.length, 0);
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (chunked) headers['Transfer-Encoding'] = 'chunked';
    else headers['Content-Length'] = length;
    const res = await rawRequest('POST', collection, headers, chunks);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.body)).toEqual(tooLarge);
    expect(await storedKeys(server, configmaps, ns)).toEqual(keysBefore);
  });

  it('a chunked body just under the limit is read whole (decoded, not refused for size)', async () => {
    const chunks = oversizedConfigMap('just-under', 3 * 1024 * 1024 - 4096);
    const res = await rawRequest('POST', collection, {
      'Content-Type': 'application/json', Accept: 'application/json', 'Transfer-Encoding': 'chunked',
    }, chunks);
    // Stored objects are limited to 1 MiB by etcd's request size in the real server too; what
    // matters here is that the size check did not fire.
    expect(res.status).not.toBe(413);
  });
});

describe('request heads over Node\'s default 16 KiB', () => {
  it('a 30 KB label selector in the URL is served', async () => {
    const terms: string[] = [];
    for (let i = 0; terms.join(',').length < 30_000; i++) terms.push(`key-${i}=value-${i}`);
    const res = await rawRequest('GET', `${collection}?labelSelector=${encodeURIComponent(terms.join(','))}`, { Accept: 'application/json' });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { kind: string; items: unknown[] };
    expect(body.kind).toBe('ConfigMapList');
    expect(body.items).toEqual([]);
  });

  it('a 100 KB Accept header is negotiated as usual', async () => {
    let accept = '';
    for (let i = 0; accept.length < 100_000; i++) accept += `application/x-unknown-${i};q=0.1, `;
    accept += 'application/json';
    const res = await rawRequest('GET', collection, { Accept: accept });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect((JSON.parse(res.body) as { kind: string }).kind).toBe('ConfigMapList');
  });

  it('2 MiB of headers gets Go\'s plain-text 431 and the connection is closed', async () => {
    const head = `GET ${collection} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n`
      + `X-Big-1: ${'a'.repeat(1024 * 1024)}\r\nX-Big-2: ${'b'.repeat(1024 * 1024)}\r\n\r\n`;
    const port = Number(new URL(server.url).port);
    const received = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      const parts: Buffer[] = [];
      socket.on('data', (c: Buffer) => parts.push(c));
      socket.on('close', () => resolve(Buffer.concat(parts).toString('latin1')));
      // The server may stop reading once the limit is passed; whatever it wrote before still counts.
      socket.on('error', (err) => { if (parts.length === 0) reject(err); });
      socket.write(head);
    });
    expect(received).toBe('HTTP/1.1 431 Request Header Fields Too Large\r\n'
      + 'Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n'
      + '431 Request Header Fields Too Large');
  });
});

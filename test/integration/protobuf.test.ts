/**
 * Kubernetes protobuf request bodies, as kubectl 1.32+ sends them for imperative commands: the
 * server decodes them and answers in JSON when the client accepts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKubeProtobuf, encodeKubeProtobuf } from '../../pkg/protobuf/index.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { collectionPath, entryFor, objectPath } from './support/fixtures.ts';

let server: TestServer;
const protobufType = 'application/vnd.kubernetes.protobuf';
const configmaps = entryFor('configmaps');

beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

/** supertest parser that keeps the raw bytes of a protobuf answer. */
function rawBody(res: NodeJS.ReadableStream, cb: (err: Error | null, body: unknown) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('protobuf request bodies', () => {
  it('creates a Namespace and answers JSON to kubectl\'s Accept', async () => {
    const body = encodeKubeProtobuf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'from-proto', labels: { via: 'protobuf' } } });
    const res = await server.request.post('/api/v1/namespaces').set('Content-Type', protobufType)
      .set('Accept', `${protobufType}, application/json`).send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body.kind).toBe('Namespace');
    expect(res.body.metadata.name).toBe('from-proto');
    expect(res.body.metadata.labels).toEqual({ via: 'protobuf', 'kubernetes.io/metadata.name': 'from-proto' });
    expect(res.body.metadata.uid).toBeTruthy();
    expect(res.body.status.phase).toBe('Active');
  });

  it('creates a ConfigMap with data and binaryData', async () => {
    const body = encodeKubeProtobuf({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'proto-cm', namespace: 'from-proto' },
      data: { 'app.properties': 'a=1\nb=2\n' }, binaryData: { blob: Buffer.from([0, 1, 2, 255]).toString('base64') },
    });
    const res = await server.request.post(collectionPath(configmaps, 'from-proto')).set('Content-Type', protobufType)
      .set('Accept', 'application/json').send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data).toEqual({ 'app.properties': 'a=1\nb=2\n' });
    expect(res.body.binaryData).toEqual({ blob: 'AAEC/w==' });
    const stored = await server.request.get(objectPath(configmaps, 'from-proto', 'proto-cm'));
    expect(stored.body).toEqual(res.body);
  });

  it('answers protobuf when that is the only acceptable type', async () => {
    const res = await server.request.get(objectPath(configmaps, 'from-proto', 'proto-cm')).set('Accept', protobufType)
      .buffer(true).parse(rawBody as never);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(protobufType);
    const decoded = decodeKubeProtobuf(res.body as Buffer);
    expect(decoded.kind).toBe('ConfigMap');
    expect((decoded.object.data as Record<string, string>)['app.properties']).toBe('a=1\nb=2\n');
  });

  it('answers a protobuf list when only protobuf is acceptable', async () => {
    const res = await server.request.get(collectionPath(configmaps, 'from-proto')).set('Accept', protobufType)
      .buffer(true).parse(rawBody as never);
    expect(res.status).toBe(200);
    const decoded = decodeKubeProtobuf(res.body as Buffer);
    expect(decoded.kind).toBe('ConfigMapList');
    const items = decoded.object.items as { metadata: { name: string } }[];
    expect(items.map((i) => i.metadata.name)).toContain('proto-cm');
  });

  it('a protobuf body of another kind than the URL: 400, nothing written', async () => {
    const body = encodeKubeProtobuf({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'nope' } });
    const res = await server.request.post(collectionPath(configmaps, 'from-proto')).set('Content-Type', protobufType).send(body);
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe('BadRequest');
    expect((await server.request.get(objectPath(configmaps, 'from-proto', 'nope'))).status).toBe(404);
  });

  it('bytes without the k8s magic: 400', async () => {
    const res = await server.request.post(collectionPath(configmaps, 'from-proto')).set('Content-Type', protobufType).send(Buffer.from('not protobuf'));
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe('BadRequest');
  });
});

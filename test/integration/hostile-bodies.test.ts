/**
 * Bodies built to exhaust the server get kube-apiserver's answer, fast, and change nothing.
 * Sources of the limits and messages:
 * - JSON patch operations: apiserver/pkg/endpoints/handlers/patch.go maxJSONPatchOperations (10000),
 *   NewRequestEntityTooLargeError("The allowed maximum operations in a JSON patch is %d, got %d");
 * - bytes a JSON patch may copy: server/config.go JSONPatchMaxCopyBytes (3 MiB), set as
 *   gopkg.in/evanphx/json-patch.v4's AccumulatedCopySizeLimit; its AccumulatedCopySizeError is an
 *   apply failure, which patch.go hides behind NewGenericServerResponse(422);
 * - nesting: encoding/json (and sigs.k8s.io/json) maxNestingDepth 10000, the scanner's
 *   "invalid character '{' exceeded max depth"; for a create through SimpleMetaFactory.Interpret and
 *   create.go's transformDecodeError, for a merge patch through kjson.UnmarshalStrict ("error decoding
 *   patch: …", fieldValidation Warn by default), for a strategic merge patch as is.
 * The bounds themselves keep each case quick: a copy bomb stops after 3 MiB of copies, not 2^30.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { collectionPath, createNamespace, entryFor, minimalObject, objectPath, storedKeys } from './support/fixtures.ts';

let server: TestServer;
const ns = 'hostile-bodies';
const configmaps = entryFor('configmaps');
const pods = entryFor('pods');
const collection = collectionPath(configmaps, ns);
const cm1 = objectPath(configmaps, ns, 'cm1');
const jsonPatch = 'application/json-patch+json';
const mergePatch = 'application/merge-patch+json';
const strategicPatch = 'application/strategic-merge-patch+json';

/** `{"a":{"a":…{"a":1}…}}`: an object `levels` deep. */
function nested(levels: number): string {
  return `${'{"a":'.repeat(levels - 1)}{"a":1}${'}'.repeat(levels - 1)}`;
}

/** A ConfigMap whose unknown field "foo" holds objects so that the whole body is `depth` deep. */
function configMapNested(name: string, depth: number): string {
  return `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"foo":${nested(depth - 1)}}`;
}

const copyBomb = JSON.stringify([
  { op: 'add', path: '/metadata/annotations', value: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v'.repeat(50)])) },
  ...Array.from({ length: 30 }, (_, i) => ({ op: 'copy', from: '/metadata/annotations', path: `/metadata/annotations/c${i}` })),
]);

const manyOps = JSON.stringify(Array.from({ length: 10001 }, () => ({ op: 'test', path: '/kind', value: 'ConfigMap' })));

interface Case {
  name: string;
  method: 'post' | 'patch';
  url: string;
  contentType: string;
  body: string;
  code: number;
  reason: string;
  message: string | RegExp;
}

const depthError = "invalid character '{' exceeded max depth";
/** transformDecodeError's message; summarizeData shows a JSON body's first 30 bytes. */
const unrecognized = (kind: string, body: string) =>
  `the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${depthError} (${body.slice(0, 30)} ...)`;

const cases: Case[] = [
  { name: 'JSON patch copying a value into itself 30 times', method: 'patch', url: cm1, contentType: jsonPatch, body: copyBomb,
    code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' },
  { name: 'JSON patch of 10,001 operations', method: 'patch', url: cm1, contentType: jsonPatch, body: manyOps,
    code: 413, reason: 'RequestEntityTooLarge',
    message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001' },
  { name: 'create with an unknown field making the body 10,001 deep', method: 'post', url: collection, contentType: 'application/json',
    body: configMapNested('deep', 10001), code: 400, reason: 'BadRequest', message: unrecognized('ConfigMap', configMapNested('deep', 10001)) },
  { name: 'create with an unknown field 9,000 deep (Strict)', method: 'post', url: `${collection}?fieldValidation=Strict`,
    contentType: 'application/json', body: configMapNested('deep', 9000), code: 400, reason: 'BadRequest',
    message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"' },
  { name: 'merge patch 100,000 deep', method: 'patch', url: cm1, contentType: mergePatch, body: nested(100000),
    code: 400, reason: 'BadRequest', message: `error decoding patch: ${depthError}` },
  { name: 'strategic merge patch 100,000 deep', method: 'patch', url: cm1, contentType: strategicPatch, body: nested(100000),
    code: 400, reason: 'BadRequest', message: depthError },
  { name: 'JSON patch whose value is 100,000 deep', method: 'patch', url: cm1, contentType: jsonPatch,
    body: `[{"op":"add","path":"/data/x","value":${nested(100000)}}]`,
    code: 400, reason: 'BadRequest', message: `error decoding patch: ${depthError}` },
];

let keysBefore: string[];
let rvBefore: string;

async function cm1ResourceVersion(): Promise<string> {
  const res = await server.request.get(cm1);
  expect(res.status).toBe(200);
  return res.body.metadata.resourceVersion as string;
}

function send(c: Case) {
  const req = c.method === 'post' ? server.request.post(c.url) : server.request.patch(c.url);
  return req.set('Content-Type', c.contentType).send(c.body);
}

beforeAll(async () => {
  server = await startTestServer();
  await createNamespace(server, ns);
  expect((await server.request.post(collection).send(minimalObject(configmaps, 'cm1', ns))).status).toBe(201);
  keysBefore = await storedKeys(server, configmaps, ns);
  rvBefore = await cm1ResourceVersion();
});

afterAll(async () => {
  await server?.close();
});

describe('hostile bodies: bounded work, the real answer, nothing stored changes', () => {
  it.each(cases)('$name → $code', async (c) => {
    const res = await send(c);
    expect(res.status).toBe(c.code);
    const body = res.body as Record<string, unknown>;
    expect(body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: c.code });
    expect(body.reason).toBe(c.reason);
    if (typeof c.message === 'string') expect(body.message).toBe(c.message);
    else expect(body.message).toMatch(c.message);
    expect(await storedKeys(server, configmaps, ns)).toEqual(keysBefore);
    expect(await cm1ResourceVersion()).toBe(rvBefore);
  });

  it('copies are refused once they add more than 3 MiB in all, before the object is built', async () => {
    // Each copy adds 1 MiB (the JSON string with its quotes): three fit the limit exactly, a fourth passes it.
    // Unbounded, the patch would build a 5 MiB ConfigMap and fail its size validation instead.
    const ops = [{ op: 'add', path: '/data/v', value: 'x'.repeat(1024 * 1024 - 2) },
      ...[1, 2, 3, 4].map((i) => ({ op: 'copy', from: '/data/v', path: `/data/c${i}` }))];
    const res = await server.request.patch(cm1).set('Content-Type', jsonPatch).send(JSON.stringify(ops));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ reason: 'Invalid', message: 'the server rejected our request due to an error in our request' });
    expect(res.body.details).toEqual({});
    expect(await cm1ResourceVersion()).toBe(rvBefore);
  });

  it('copies within 3 MiB still apply', async () => {
    const res = await server.request.patch(cm1).set('Content-Type', jsonPatch).send(JSON.stringify([
      { op: 'add', path: '/metadata/annotations', value: { a: 'x' } },
      { op: 'copy', from: '/metadata/annotations/a', path: '/metadata/annotations/b' },
    ]));
    expect(res.status).toBe(200);
    expect(res.body.metadata.annotations).toEqual({ a: 'x', b: 'x' });
    rvBefore = res.body.metadata.resourceVersion as string;
  });

  it('a create 9,000 deep in an unknown field is accepted (fieldValidation Warn), the field dropped', async () => {
    const res = await server.request.post(collection).set('Content-Type', 'application/json').send(configMapNested('deep-ok', 9000));
    expect(res.status).toBe(201);
    expect(res.body.foo).toBeUndefined();
    expect(res.headers.warning).toBe('299 - "unknown field \\"foo\\""');
    const stored = await server.request.get(objectPath(configmaps, ns, 'deep-ok'));
    expect(stored.body.foo).toBeUndefined();
    expect((await server.request.delete(objectPath(configmaps, ns, 'deep-ok'))).status).toBe(200);
  });

  it('a merge patch 9,000 deep in an unknown field applies, the field dropped', async () => {
    const res = await server.request.patch(`${cm1}?fieldValidation=Ignore`).set('Content-Type', mergePatch)
      .send(`{"data":{"k":"v"},"foo":${nested(8999)}}`);
    expect(res.status).toBe(200);
    expect(res.body.data.k).toBe('v');
    expect(res.body.foo).toBeUndefined();
    rvBefore = res.body.metadata.resourceVersion as string;
  });

  it('a container field nested to 10,000 levels in all: the normal unknown-field answer; 10,001: 400', async () => {
    const podBody = (depth: number) => {
      // {"spec":{"containers":[{"foo": …}]}} puts "foo"'s value at level 5.
      const foo = nested(depth - 4);
      return `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"deep"},"spec":{"containers":[{"name":"c","image":"i","foo":${foo}}]}}`;
    };
    const podCollection = `${collectionPath(pods, ns)}?fieldValidation=Strict`;
    const ok = await server.request.post(podCollection).set('Content-Type', 'application/json').send(podBody(10000));
    expect(ok.status).toBe(400);
    expect(ok.body.message).toBe('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].foo"');
    const deep = await server.request.post(podCollection).set('Content-Type', 'application/json').send(podBody(10001));
    expect(deep.status).toBe(400);
    expect(deep.body.reason).toBe('BadRequest');
    expect(deep.body.message).toBe(unrecognized('Pod', podBody(10001)));
    expect(await storedKeys(server, pods, ns)).toEqual([]);
  });
});

/**
 * Hostile input gets kube-apiserver v1.32's answer (code, reason, message) and changes nothing.
 * Sources of the messages:
 * - a query parameter that does not convert: the handlers' errors.NewBadRequest over
 *   metainternalversion.ParameterCodec, whose int64 conversion (apimachinery/pkg/runtime/conversion.go)
 *   returns strconv.ParseInt's error as is;
 * - write and delete options: apimachinery/pkg/apis/meta/v1/validation (ValidateCreateOptions,
 *   ValidateUpdateOptions, ValidatePatchOptions, ValidateDeleteOptions) as a 422 on the options kind;
 * - list and watch options: apimachinery/pkg/apis/meta/internalversion/validation (ValidateListOptions,
 *   validateWatchOptions with WatchList on);
 * - a resourceVersion that is not a uint64: APIObjectVersioner.ParseResourceVersion's InvalidError, which
 *   etcd3's ValidateListOptions wraps as "invalid resource version: …" (400); upstream's watch cache
 *   passes it up unconverted (a 500), which we do not copy: bad input never gets a 5xx;
 * - methods a path does not have: go-restful's 405 through the apiserver's serviceErrorHandler
 *   (NewGenericServerResponse's MethodNotAllowed message);
 * - %ff%fe in a name: Go decodes it to two bytes that are no object, NewNotFound quotes them with %q;
 * - a non-string apiVersion/kind: json.SimpleMetaFactory.Interpret's encoding/json error through
 *   create.go's transformDecodeError.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { collectionPath, createNamespace, entryFor, minimalObject, objectPath, storedKeys } from './support/fixtures.ts';

let server: TestServer;
const ns = 'hostile';
const configmaps = entryFor('configmaps');
const collection = collectionPath(configmaps, ns);
const cm1 = objectPath(configmaps, ns, 'cm1');

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Case {
  name: string;
  method: Method;
  /** Path and raw query, sent as written. */
  url: string;
  body?: string;
  contentType?: string;
  code: number;
  /** undefined: the Status has no reason (an error ErrorToAPIStatus did not recognise). */
  reason: string | undefined;
  message: string | RegExp;
  details?: Record<string, unknown>;
}

const longManager = 'm'.repeat(129);
const cmBody = JSON.stringify(minimalObject(configmaps, 'from-body', ns));
const mergePatch = 'application/merge-patch+json';

const cases: Case[] = [
  // 1. Numbers are parsed strictly, whatever the verb.
  { name: 'DELETE gracePeriodSeconds=abc', method: 'delete', url: `${cm1}?gracePeriodSeconds=abc`,
    code: 400, reason: 'BadRequest', message: 'strconv.ParseInt: parsing "abc": invalid syntax' },
  { name: 'DELETE gracePeriodSeconds overflowing int64', method: 'delete', url: `${cm1}?gracePeriodSeconds=9223372036854775808`,
    code: 400, reason: 'BadRequest', message: 'strconv.ParseInt: parsing "9223372036854775808": value out of range' },
  { name: 'LIST limit=abc', method: 'get', url: `${collection}?limit=abc`,
    code: 400, reason: 'BadRequest', message: 'strconv.ParseInt: parsing "abc": invalid syntax' },
  { name: 'LIST limit=0x10', method: 'get', url: `${collection}?limit=0x10`,
    code: 400, reason: 'BadRequest', message: 'strconv.ParseInt: parsing "0x10": invalid syntax' },
  { name: 'LIST limit overflowing int64', method: 'get', url: `${collection}?limit=99999999999999999999`,
    code: 400, reason: 'BadRequest', message: 'strconv.ParseInt: parsing "99999999999999999999": value out of range' },
  { name: 'LIST timeoutSeconds=abc', method: 'get', url: `${collection}?timeoutSeconds=abc`,
    code: 400, reason: 'BadRequest', message: 'strconv.ParseInt: parsing "abc": invalid syntax' },
  { name: 'WATCH timeoutSeconds=abc', method: 'get', url: `${collection}?watch=true&timeoutSeconds=abc`,
    code: 400, reason: 'BadRequest', message: 'strconv.ParseInt: parsing "abc": invalid syntax' },
  { name: 'DELETECOLLECTION limit=abc', method: 'delete', url: `${collection}?limit=abc`,
    code: 400, reason: 'BadRequest', message: 'strconv.ParseInt: parsing "abc": invalid syntax' },
  // resourceVersion beyond uint64: etcd3's 400 wherever the list is served from (upstream's watch
  // cache would pass the parse error up as a 500; bad input never gets a 5xx here).
  { name: 'LIST resourceVersion beyond uint64 (watch cache)', method: 'get', url: `${collection}?resourceVersion=99999999999999999999`,
    code: 400, reason: 'BadRequest',
    message: 'invalid resource version: resourceVersion: Invalid value: "99999999999999999999": strconv.ParseUint: parsing "99999999999999999999": value out of range' },
  { name: 'LIST resourceVersion beyond uint64 with a limit (etcd)', method: 'get', url: `${collection}?resourceVersion=99999999999999999999&limit=5`,
    code: 400, reason: 'BadRequest',
    message: 'invalid resource version: resourceVersion: Invalid value: "99999999999999999999": strconv.ParseUint: parsing "99999999999999999999": value out of range' },
  { name: 'WATCH resourceVersion=abc', method: 'get', url: `${collection}?watch=true&resourceVersion=abc`,
    code: 400, reason: 'BadRequest', message: 'invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax' },
  // Delete options.
  { name: 'DELETE propagationPolicy=bogus', method: 'delete', url: `${cm1}?propagationPolicy=bogus`,
    code: 422, reason: 'Invalid',
    message: 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "bogus": supported values: "Foreground", "Background", "Orphan", "nil"' },
  { name: 'DELETE orphanDependents=maybe (a bool: true) with a propagationPolicy', method: 'delete',
    url: `${cm1}?orphanDependents=maybe&propagationPolicy=Background`, code: 422, reason: 'Invalid',
    message: 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Background": orphanDependents and deletionPropagation cannot be both set' },
  { name: 'DELETE dryRun=bogus', method: 'delete', url: `${cm1}?dryRun=bogus`, code: 422, reason: 'Invalid',
    message: 'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"bogus"}: supported values: "All"' },
  { name: 'DELETE every bad option at once', method: 'delete', url: `${cm1}?orphanDependents=false&propagationPolicy=bogus&dryRun=x`,
    code: 422, reason: 'Invalid',
    message: 'DeleteOptions.meta.k8s.io "" is invalid: [propagationPolicy: Invalid value: "bogus": orphanDependents and deletionPropagation cannot be both set, '
      + 'propagationPolicy: Unsupported value: "bogus": supported values: "Foreground", "Background", "Orphan", "nil", dryRun: Unsupported value: []string{"x"}: supported values: "All"]' },
  // Write options.
  { name: 'POST dryRun=bogus', method: 'post', url: `${collection}?dryRun=bogus`, body: cmBody, code: 422, reason: 'Invalid',
    message: 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"bogus"}: supported values: "All"' },
  { name: 'POST fieldManager of 129 characters', method: 'post', url: `${collection}?fieldManager=${longManager}`, body: cmBody,
    code: 422, reason: 'Invalid', message: 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes' },
  { name: 'POST fieldValidation=Bogus', method: 'post', url: `${collection}?fieldValidation=Bogus`, body: cmBody, code: 422, reason: 'Invalid',
    message: 'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Bogus": supported values: "", "Ignore", "Strict", "Warn"' },
  { name: 'PUT fieldValidation=Bogus', method: 'put', url: `${cm1}?fieldValidation=Bogus`, body: '{}', code: 422, reason: 'Invalid',
    message: 'UpdateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Bogus": supported values: "", "Ignore", "Strict", "Warn"' },
  { name: 'PATCH fieldManager of 129 characters and dryRun=bogus', method: 'patch', url: `${cm1}?fieldManager=${longManager}&dryRun=bogus`,
    body: '{"data":{"x":"y"}}', contentType: mergePatch, code: 422, reason: 'Invalid',
    message: 'PatchOptions.meta.k8s.io "" is invalid: [fieldManager: Too long: may not be more than 128 bytes, dryRun: Unsupported value: []string{"bogus"}: supported values: "All"]' },
  { name: 'PATCH force on a merge patch', method: 'patch', url: `${cm1}?force=true`, body: '{"data":{"x":"y"}}', contentType: mergePatch,
    code: 422, reason: 'Invalid', message: 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch' },
  { name: 'PATCH fieldManager with a control character', method: 'patch', url: `${cm1}?fieldManager=a%07b`, body: '{"data":{"x":"y"}}',
    contentType: mergePatch, code: 422, reason: 'Invalid',
    message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\ab": invalid character U+0007 (at position 1)' },
  // List and watch options.
  { name: 'WATCH resourceVersionMatch=Exact', method: 'get', url: `${collection}?watch=true&resourceVersionMatch=Exact`,
    code: 422, reason: 'Invalid',
    message: 'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided, '
      + 'resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]' },
  { name: 'WATCH sendInitialEvents=true without resourceVersionMatch', method: 'get', url: `${collection}?watch=true&sendInitialEvents=true`,
    code: 422, reason: 'Invalid',
    message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan' },
  { name: 'LIST sendInitialEvents', method: 'get', url: `${collection}?sendInitialEvents=false`, code: 422, reason: 'Invalid',
    message: 'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list' },
  { name: 'LIST resourceVersionMatch=Bogus without resourceVersion', method: 'get', url: `${collection}?resourceVersionMatch=Bogus`,
    code: 422, reason: 'Invalid',
    message: 'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided, '
      + 'resourceVersionMatch: Unsupported value: "Bogus": supported values: "Exact", "NotOlderThan", ""]' },
  // 2. Methods a path does not have.
  { name: 'POST on a named configmap', method: 'post', url: objectPath(configmaps, ns, 'someName'), body: cmBody,
    code: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource', details: {} },
  { name: 'POST on a named namespace', method: 'post', url: `/api/v1/namespaces/${ns}`, body: '{}',
    code: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource', details: {} },
  { name: 'PUT on the collection', method: 'put', url: collection, body: cmBody,
    code: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource', details: {} },
  { name: 'PATCH on the collection', method: 'patch', url: collection, body: '{"data":{"x":"y"}}', contentType: mergePatch,
    code: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource', details: {} },
  // 3. A name that is not UTF-8 once decoded.
  { name: 'GET %ff%fe', method: 'get', url: `${collection}/%ff%fe`, code: 404, reason: 'NotFound',
    message: 'configmaps "\\xff\\xfe" not found', details: { name: '\ufffd\ufffd', kind: 'configmaps' } },
  { name: 'DELETE %ff%fe', method: 'delete', url: `${collection}/%ff%fe`, code: 404, reason: 'NotFound',
    message: 'configmaps "\\xff\\xfe" not found', details: { name: '\ufffd\ufffd', kind: 'configmaps' } },
  { name: 'GET a%e2%82 (a truncated sequence after a valid byte)', method: 'get', url: `${collection}/a%e2%82`, code: 404, reason: 'NotFound',
    message: 'configmaps "a\\xe2\\x82" not found', details: { name: 'a\ufffd\ufffd', kind: 'configmaps' } },
  // 4. apiVersion or kind that is not a string.
  { name: 'POST apiVersion as an object', method: 'post', url: collection,
    body: '{"apiVersion":{"a":1},"kind":"ConfigMap","metadata":{"name":"typed"}}', code: 400, reason: 'BadRequest',
    message: 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: '
      + 'json: cannot unmarshal object into Go struct field .apiVersion of type string ({"apiVersion":{"a":1},"kind":" ...)' },
  { name: 'POST kind as a number', method: 'post', url: collection, body: '{"kind":5,"apiVersion":[1],"metadata":{"name":"typed"}}',
    code: 400, reason: 'BadRequest',
    message: 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: '
      + 'json: cannot unmarshal number into Go struct field .kind of type string ({"kind":5,"apiVersion":[1],"me ...)' },
  { name: 'PUT apiVersion as a bool', method: 'put', url: cm1, body: '{"apiVersion":true,"kind":"ConfigMap","metadata":{"name":"cm1"}}',
    code: 400, reason: 'BadRequest',
    message: 'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: '
      + 'json: cannot unmarshal bool into Go struct field .apiVersion of type string ({"apiVersion":true,"kind":"Con ...)' },
];

let resourceVersionBefore: string;
let keysBefore: string[];

async function cm1ResourceVersion(): Promise<string> {
  const res = await server.request.get(cm1);
  expect(res.status).toBe(200);
  return res.body.metadata.resourceVersion as string;
}

function send(c: Pick<Case, 'method' | 'url' | 'body' | 'contentType'>) {
  let req = server.request[c.method](c.url);
  if (c.body !== undefined) req = req.set('Content-Type', c.contentType ?? 'application/json').send(c.body);
  return req;
}

beforeAll(async () => {
  server = await startTestServer();
  await createNamespace(server, ns);
  expect((await server.request.post(collection).send(minimalObject(configmaps, 'cm1', ns))).status).toBe(201);
});
afterAll(async () => { await server?.close(); });

beforeEach(async () => {
  // Each case starts from cm1 stored, so one that wrongly deleted it cannot fail the cases after it.
  if ((await server.request.get(cm1)).status === 404) {
    expect((await server.request.post(collection).send(minimalObject(configmaps, 'cm1', ns))).status).toBe(201);
  }
  keysBefore = await storedKeys(server, configmaps, ns);
  resourceVersionBefore = await cm1ResourceVersion();
});

describe('hostile input: the real answer, and nothing stored changes', () => {
  it.each(cases)('$name → $code', async (c) => {
    const res = await send(c);
    expect(res.status).toBe(c.code);
    expect(res.headers['content-type']).toBe('application/json');
    const body = res.body as Record<string, unknown>;
    expect(body).toMatchObject({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: c.code });
    expect(body.reason).toBe(c.reason);
    if (typeof c.message === 'string') expect(body.message).toBe(c.message);
    else expect(body.message).toMatch(c.message);
    if (c.details) expect(body.details).toEqual(c.details);
    expect(await storedKeys(server, configmaps, ns)).toEqual(keysBefore);
    expect(await cm1ResourceVersion()).toBe(resourceVersionBefore);
  });
});

describe('parameters upstream accepts however they are spelled', () => {
  it('pretty=xyz is not an error (the negotiation ignores a value ParseBool rejects)', async () => {
    const res = await server.request.get(`${cm1}?pretty=xyz`);
    expect(res.status).toBe(200);
    expect(res.body.metadata.resourceVersion).toBe(resourceVersionBefore);
  });

  it('orphanDependents=maybe is true (only "false" and "0" are false): an orphaning delete', async () => {
    expect((await server.request.post(collection).send(minimalObject(configmaps, 'orphaned', ns))).status).toBe(201);
    const res = await server.request.delete(`${objectPath(configmaps, ns, 'orphaned')}?orphanDependents=maybe`);
    expect(res.status).toBe(200);
    expect(res.body.metadata.finalizers).toEqual(['orphan']);
  });

  it('kubectl-style options still pass', async () => {
    const created = await server.request.post(`${collection}?fieldManager=kubectl-client-side-apply&fieldValidation=Strict&dryRun=All`)
      .send(minimalObject(configmaps, 'dry', ns));
    expect(created.status).toBe(201);
    expect(await storedKeys(server, configmaps, ns)).toEqual(keysBefore);
    const watch = await server.request.get(`${collection}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1`)
      .buffer(true).parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => { text += chunk.toString(); });
        res.on('end', () => done(null, text));
      });
    expect(watch.status).toBe(200);
    expect(String(watch.body)).toContain('"k8s.io/initial-events-end":"true"');
  });
});

/**
 * Conformance: kubernetes/kubernetes test/e2e/apimachinery/table_conversion.go ("[sig-api-machinery]
 * Servers with support for Table transformation"), the 406 row.
 */
import { describe, expect, it } from 'vitest';
import { newFramework } from '../framework.ts';
import { rawRequest } from '../raw-request.ts';

const f = newFramework('tables', { skipNamespaceCreation: true });

describe('[sig-api-machinery] Servers with support for Table transformation', () => {
  it('API metadata HTTP return', async () => {
    // A SelfSubjectAccessReview posted asking for the Table form: the review kinds have no Table
    // conversion, so the server must refuse the Accept with 406.
    const sar = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { nonResourceAttributes: { path: '/', verb: 'get' } } };
    const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    const res = await rawRequest(f.kc, 'POST', path, { body: sar, headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    expect(res.status, 'failed to return error when posting self subject access review to a backend that does not implement metadata').toBe(406);
    expect(JSON.parse(res.body)).toMatchObject({ kind: 'Status', code: 406, reason: 'NotAcceptable' });
    // The same review with a plain Accept is answered.
    const ok = await rawRequest(f.kc, 'POST', path, { body: sar });
    expect(ok.status).toBe(201);
    expect(JSON.parse(ok.body).status).toEqual({ allowed: true });
  });
});

/**
 * Conformance: kubernetes/kubernetes test/e2e/auth/subjectreviews.go ("[sig-auth] SubjectReview").
 * The decision a SubjectAccessReview (and a LocalSubjectAccessReview) gives for a ServiceAccount must
 * match what happens when the ServiceAccount, impersonated, makes the request.
 */
import { describe, expect, it } from 'vitest';
import { AuthorizationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { newFramework } from '../framework.ts';
import { rawRequest } from '../raw-request.ts';

const f = newFramework('subjectreview');

describe('[sig-auth] SubjectReview', () => {
  it('SubjectReview, API Operations', async () => {
    const ns = f.namespace;
    const saName = 'e2e';
    const core = f.kc.makeApiClient(CoreV1Api);
    const authz = f.kc.makeApiClient(AuthorizationV1Api);

    // Creating a Serviceaccount "e2e"
    const sa = await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: saName } } });
    const saUsername = `system:serviceaccount:${sa.metadata!.namespace}:${sa.metadata!.name}`;
    const saGroups = ['system:authenticated', 'system:serviceaccounts', `system:serviceaccounts:${ns}`];
    const saUID = sa.metadata!.uid!;

    // Creating SubjectAccessReview for the service account
    const resourceAttributes = { verb: 'list', resource: 'configmaps', namespace: ns, version: 'v1' };
    const sar = await authz.createSubjectAccessReview({
      body: { spec: { resourceAttributes, user: saUsername, groups: saGroups, uid: saUID } },
    });
    const expectedAllowed = sar.status!.allowed;

    // Verifying as the service account: list configmaps (a client impersonating it)
    const res = await rawRequest(f.kc, 'GET', `/api/v1/namespaces/${ns}/configmaps`, {
      headers: { 'Impersonate-User': saUsername, 'Impersonate-Uid': saUID, 'Impersonate-Group': saGroups },
    });
    if (res.status !== 200 && res.status !== 403) throw new Error(`Unexpected error: ${res.status} ${res.body}`);
    const actuallyAllowed = res.status === 200;
    expect(actuallyAllowed, `SubjectAccessReview allowed: ${expectedAllowed}, request allowed: ${actuallyAllowed}, request: ${res.body}`).toBe(expectedAllowed);

    // Creating a LocalSubjectAccessReview (upstream names the user by the bare service account name)
    const lsar = await authz.createNamespacedLocalSubjectAccessReview({
      namespace: ns,
      body: { metadata: { namespace: ns }, spec: { resourceAttributes, user: saName, groups: saGroups, uid: saUID } },
    });
    expect(lsar.status!.allowed, `LocalSubjectAccessReview allowed: ${lsar.status!.allowed}, request allowed: ${actuallyAllowed}`).toBe(actuallyAllowed);
  });
});

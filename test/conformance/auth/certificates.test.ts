/**
 * Conformance: kubernetes/kubernetes test/e2e/auth/certificates.go ("[sig-auth] Certificates API
 * [Privileged:ClusterAdmin]"), the CSR API operations row: discovery, CRUD, watch, and the
 * /approval and /status subresources, step by step.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CertificatesV1Api, PatchStrategy, setHeaderOptions, Watch, type V1CertificateSigningRequest,
} from '@kubernetes/client-node';
import { signCertificate } from '../../../pkg/controllers/certificates/authority.ts';
import { createCertificateRequestPem } from '../../../pkg/registry/certificates/request-builder.ts';
import { parseCertificateRequestPem } from '../../../pkg/registry/certificates/request.ts';
import { newFramework, poll, randomString } from '../framework.ts';
import { rawRequest } from '../raw-request.ts';

const f = newFramework('certificates', { components: [], skipNamespaceCreation: true });
const group = 'certificates.k8s.io';
const hour = 3600;

/** cert.GenerateSelfSignedCertKey("e2e.example.com", nil, ["e2e.example.com"]): a self-signed serving certificate. */
function selfSignedCertificate(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const req = parseCertificateRequestPem(Buffer.from(createCertificateRequestPem(privateKey,
    { commonName: 'e2e.example.com' }, { dnsNames: ['e2e.example.com'] })));
  return signCertificate({ subjectDer: req.subjectDer, notAfter: new Date(Date.now() + 365 * 86400_000), key: privateKey }, req,
    { usages: ['key encipherment', 'digital signature', 'server auth'], ttlMs: 365 * 86400_000, now: new Date() });
}

const getJson = async (path: string): Promise<any> => {
  const res = await rawRequest(f.kc, 'GET', path);
  expect(res.status, res.body).toBe(200);
  return JSON.parse(res.body);
};

describe('[sig-auth] Certificates API [Privileged:ClusterAdmin]', () => {
  it('CertificateSigningRequest API', async () => {
    // Setup
    const csrVersion = 'v1';
    const csrClient = f.kc.makeApiClient(CertificatesV1Api);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const csrData = createCertificateRequestPem(privateKey, { commonName: 'e2e.example.com' }, { dnsNames: ['e2e.example.com'] });
    const certificateData = selfSignedCertificate();
    const signerName = `example.com/e2e-certificates-${randomString(4)}`;
    const csrTemplate: V1CertificateSigningRequest = {
      metadata: { generateName: 'e2e-example-csr-' },
      spec: {
        request: Buffer.from(csrData).toString('base64'),
        signerName,
        expirationSeconds: hour,
        usages: ['digital signature', 'key encipherment', 'server auth'],
      },
    };
    const bySigner = { fieldSelector: `spec.signerName=${signerName}` };

    // getting /apis
    const groups = await getJson('/apis');
    const apiGroup = groups.groups.find((g: { name: string }) => g.name === group);
    expect(apiGroup?.versions.some((v: { version: string }) => v.version === csrVersion), 'expected certificates API group/version').toBe(true);

    // getting /apis/certificates.k8s.io
    const groupDoc = await getJson(`/apis/${group}`);
    expect(groupDoc.versions.some((v: { version: string }) => v.version === csrVersion), 'expected certificates API version').toBe(true);

    // getting /apis/certificates.k8s.io/v1
    const resources = await getJson(`/apis/${group}/${csrVersion}`);
    const names = resources.resources.map((r: { name: string }) => r.name);
    expect(names).toContain('certificatesigningrequests');
    expect(names).toContain('certificatesigningrequests/approval');
    expect(names).toContain('certificatesigningrequests/status');

    // creating
    await csrClient.createCertificateSigningRequest({ body: csrTemplate });
    await csrClient.createCertificateSigningRequest({ body: csrTemplate });
    const createdCSR = await csrClient.createCertificateSigningRequest({ body: csrTemplate });
    const name = createdCSR.metadata!.name!;

    // getting
    const gottenCSR = await csrClient.readCertificateSigningRequest({ name });
    expect(gottenCSR.metadata!.uid).toBe(createdCSR.metadata!.uid);
    expect(gottenCSR.spec.expirationSeconds).toBe(hour);

    // listing
    const csrs = await csrClient.listCertificateSigningRequest(bySigner);
    expect(csrs.items, 'filtered list should have 3 items').toHaveLength(3);

    // watching
    const events: { type: string; object: V1CertificateSigningRequest }[] = [];
    const watch = await new Watch(f.kc).watch(`/apis/${group}/v1/certificatesigningrequests`,
      { resourceVersion: csrs.metadata!.resourceVersion, fieldSelector: `metadata.name=${name}` },
      (type: string, object: V1CertificateSigningRequest) => { events.push({ type, object }); }, () => undefined);
    try {
      // patching
      const patchedCSR = await csrClient.patchCertificateSigningRequest({ name, body: { metadata: { annotations: { patched: 'true' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      expect(patchedCSR.metadata!.annotations!.patched, 'patched object should have the applied annotation').toBe('true');

      // updating
      const csrToUpdate = structuredClone(patchedCSR);
      csrToUpdate.metadata!.annotations!.updated = 'true';
      const updatedCSR = await csrClient.replaceCertificateSigningRequest({ name, body: csrToUpdate });
      expect(updatedCSR.metadata!.annotations!.updated, 'updated object should have the applied annotation').toBe('true');

      // waiting for watch events with expected annotations
      await poll('a watch event with the patched annotation', async () => {
        for (const evt of events) {
          expect(evt.type).toBe('MODIFIED');
          if (evt.object.metadata?.annotations?.patched === 'true') return true;
        }
        return undefined;
      });
    } finally {
      watch.abort();
    }

    // getting /approval
    const gottenApproval = await getJson(`/apis/${group}/v1/certificatesigningrequests/${name}/approval`);
    expect([gottenApproval.apiVersion, gottenApproval.kind]).toEqual([`${group}/v1`, 'CertificateSigningRequest']);
    expect(gottenApproval.metadata.uid).toBe(createdCSR.metadata!.uid);

    // patching /approval
    const patchedApproval = await csrClient.patchCertificateSigningRequestApproval({
      name,
      body: { metadata: { annotations: { patchedapproval: 'true' } }, status: { conditions: [{ type: 'ApprovalPatch', status: 'True', reason: 'e2e' }] } },
    }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect(patchedApproval.status!.conditions, 'patched object should have the applied condition').toHaveLength(1);
    expect(patchedApproval.status!.conditions![0]!.type).toBe('ApprovalPatch');
    expect(patchedApproval.metadata!.annotations!.patchedapproval, 'patched object should have the applied annotation').toBe('true');

    // updating /approval
    const approvalToUpdate = structuredClone(patchedApproval);
    approvalToUpdate.status!.conditions!.push({ type: 'Approved', status: 'True', reason: 'E2E', message: 'Set from an e2e test' });
    const updatedApproval = await csrClient.replaceCertificateSigningRequestApproval({ name, body: approvalToUpdate });
    expect(updatedApproval.status!.conditions, 'updated object should have the applied condition').toHaveLength(2);
    expect(updatedApproval.status!.conditions![1]!.type, 'updated object should have the approved condition').toBe('Approved');

    // getting /status
    const gottenStatus = await getJson(`/apis/${group}/v1/certificatesigningrequests/${name}/status`);
    expect([gottenStatus.apiVersion, gottenStatus.kind]).toEqual([`${group}/v1`, 'CertificateSigningRequest']);
    expect(gottenStatus.metadata.uid).toBe(createdCSR.metadata!.uid);

    // patching /status
    const certificateB64 = Buffer.from(certificateData).toString('base64');
    const patchedStatus = await csrClient.patchCertificateSigningRequestStatus({
      name, body: { metadata: { annotations: { patchedstatus: 'true' } }, status: { certificate: certificateB64 } },
    }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect(patchedStatus.status!.certificate, 'patched object should have the applied certificate').toBe(certificateB64);
    expect(patchedStatus.metadata!.annotations!.patchedstatus, 'patched object should have the applied annotation').toBe('true');

    // updating /status
    const statusToUpdate = structuredClone(patchedStatus);
    statusToUpdate.status!.conditions!.push({ type: 'StatusUpdate', status: 'True', reason: 'E2E', message: 'Set from an e2e test' });
    const updatedStatus = await csrClient.replaceCertificateSigningRequestStatus({ name, body: statusToUpdate });
    expect(updatedStatus.status!.conditions).toHaveLength(statusToUpdate.status!.conditions!.length);
    expect(updatedStatus.status!.conditions!.at(-1)!.type, 'updated object should have the approved condition').toBe('StatusUpdate');

    // deleting
    await csrClient.deleteCertificateSigningRequest({ name });
    await expect(csrClient.readCertificateSigningRequest({ name })).rejects.toMatchObject({ code: 404 });
    expect((await csrClient.listCertificateSigningRequest(bySigner)).items, 'filtered list should have 2 items').toHaveLength(2);

    // deleting a collection
    await csrClient.deleteCollectionCertificateSigningRequest(bySigner);
    expect((await csrClient.listCertificateSigningRequest(bySigner)).items, 'filtered list should have 0 items').toHaveLength(0);
  });
});

/**
 * certificates.k8s.io/v1 CertificateSigningRequests through the apiserver with RBAC: validation
 * messages, the requester recorded on create, an immutable spec, what /approval and /status may
 * change, the CertificateApproval / CertificateSigning / CertificateSubjectRestriction admission
 * plugins, and that every refusal leaves storage untouched.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCertificate } from '../../pkg/controllers/certificates/authority.ts';
import { createCertificateRequestPem } from '../../pkg/registry/certificates/request-builder.ts';
import { parseCertificateRequestPem } from '../../pkg/registry/certificates/request.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
const base = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const signerName = 'example.com/signer';
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const b64 = (s: string) => Buffer.from(s).toString('base64');
const requestFor = (subject: { commonName?: string; organization?: string[] }) => b64(createCertificateRequestPem(privateKey, subject));

const csr = (name: string, spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
  spec: { request: requestFor({ commonName: 'jane', organization: ['dev'] }), signerName, usages: ['client auth'], ...spec },
  ...extra,
});

const as = (user: string) => ({ 'Impersonate-User': user });
const rbac = '/apis/rbac.authorization.k8s.io/v1';

async function post(path: string, body: object): Promise<void> {
  const res = await server.request.post(path).send(body);
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A ClusterRole `name` with `rules`, bound to user `user`. */
async function grant(user: string, name: string, rules: unknown[]): Promise<void> {
  await post(`${rbac}/clusterroles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules });
  await post(`${rbac}/clusterrolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  });
}

const csrRule = { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests', 'certificatesigningrequests/approval', 'certificatesigningrequests/status'], verbs: ['*'] };

beforeAll(async () => {
  server = await startTestServer({ authorizationModes: ['RBAC'] });
  // alice may write CSRs and their subresources but approve/sign for nobody; bob approves and
  // signs for every example.com signer (the "<domain>/*" wildcard).
  await grant('alice', 'csr-writer', [csrRule]);
  await grant('bob', 'csr-approver', [
    csrRule,
    { apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['example.com/*'], verbs: ['approve', 'sign'] },
  ]);
});
afterAll(async () => { await server?.close(); });

async function create(name: string, spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const res = await server.request.post(base).send(csr(name, spec, extra));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Record<string, any>;
}

async function stored(name: string) {
  return (await server.etcd.get(`/certificates.k8s.io/certificatesigningrequests/${name}`))?.modRevision;
}

const approved = (extra: Record<string, unknown> = {}) => ({ type: 'Approved', status: 'True', reason: 'ItIsFine', message: 'ok', ...extra });

describe('create', () => {
  it('records the requester and clears any status the client sent', async () => {
    const body = await create('created', {
      username: 'mallory', groups: ['system:masters'], uid: 'x',
    }, { status: { conditions: [approved()] } });
    expect(body.spec.username).toBe('test-admin');
    expect(body.spec.groups).toEqual(['system:masters', 'system:authenticated']);
    expect(body.spec.uid).toBeUndefined();
    expect(body.status).toEqual({});
  });

  it('records an impersonated requester', async () => {
    const res = await server.request.post(base).set(as('alice')).send(csr('by-alice'));
    expect(res.status).toBe(201);
    expect(res.body.spec.username).toBe('alice');
    expect(res.body.spec.groups).toEqual(['system:authenticated']);
  });

  it('refuses a request that is not a PEM CERTIFICATE REQUEST, with Go\'s %#v of the bytes', async () => {
    const res = await server.request.post(base).send(csr('garbage', { request: b64('hi') }));
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.message).toBe('CertificateSigningRequest.certificates.k8s.io "garbage" is invalid: spec.request: Invalid value: []byte{0x68, 0x69}: PEM block type must be CERTIFICATE REQUEST');
    expect(res.body.details.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: []byte{0x68, 0x69}: PEM block type must be CERTIFICATE REQUEST', field: 'spec.request' }]);
    expect(await stored('garbage')).toBeUndefined();
  });

  it('refuses a request whose signature does not verify', async () => {
    const pem = createCertificateRequestPem(privateKey, { commonName: 'jane' });
    const der = Buffer.from(pem.split('\n').filter((l) => !l.startsWith('-----')).join(''), 'base64');
    der[der.length - 5]! ^= 0xff; // inside the signature
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const res = await server.request.post(base).send(csr('tampered', { request: b64(tampered) }));
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/^CertificateSigningRequest.certificates.k8s.io "tampered" is invalid: spec.request: Invalid value: \[\]byte\{0x2d, .*\}: x509: ECDSA verification failure$/);
    expect(await stored('tampered')).toBeUndefined();
  });

  it('checks usages, signerName and expirationSeconds', async () => {
    const res = await server.request.post(base).send(csr('bad-spec', { usages: ['client auth', 'client auth', 'flying'], signerName: 'nodomain', expirationSeconds: 599 }));
    expect(res.status).toBe(422);
    expect(res.body.details.causes).toEqual([
      { reason: 'FieldValueNotSupported', message: 'Unsupported value: "flying": supported values: "any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only", "digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping"', field: 'spec.usages[2]' },
      { reason: 'FieldValueDuplicate', message: 'Duplicate value: "client auth"', field: 'spec.usages[1]' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: "nodomain": must be a fully qualified domain and path of the form \'example.com/signer-name\'', field: 'spec.signerName' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)', field: 'spec.expirationSeconds' },
    ]);
  });

  it('needs usages and refuses the legacy signer', async () => {
    const res = await server.request.post(base).send(csr('legacy', { usages: [], signerName: 'kubernetes.io/legacy-unknown' }));
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('CertificateSigningRequest.certificates.k8s.io "legacy" is invalid: [spec.usages: Required value, spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version]');
  });

  it('refuses a one-label signer domain', async () => {
    const res = await server.request.post(base).send(csr('one-label', { signerName: 'example/signer' }));
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('CertificateSigningRequest.certificates.k8s.io "one-label" is invalid: spec.signerName: Invalid value: "example": should be a domain with at least two segments separated by dots');
  });
});

describe('CertificateSubjectRestriction', () => {
  it('refuses a kube-apiserver-client request for system:masters, writing nothing', async () => {
    const res = await server.request.post(base).send(csr('masters', {
      signerName: 'kubernetes.io/kube-apiserver-client', request: requestFor({ commonName: 'root', organization: ['system:masters'] }),
    }));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      reason: 'Forbidden', code: 403,
      message: 'certificatesigningrequests.certificates.k8s.io "masters" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed',
      details: { name: 'masters', group: 'certificates.k8s.io', kind: 'certificatesigningrequests' },
    });
    expect(await stored('masters')).toBeUndefined();
  });

  it('lets other signers issue for system:masters', async () => {
    await create('masters-other', { request: requestFor({ commonName: 'root', organization: ['system:masters'] }) });
  });
});

describe('update of the main resource', () => {
  it('keeps the stored spec and status whatever the request says', async () => {
    const before = await create('immutable');
    const res = await server.request.put(`${base}/immutable`).send({
      ...before, metadata: { ...before.metadata, labels: { a: 'b' } },
      spec: { ...before.spec, usages: ['server auth'], signerName: 'example.com/other' },
      status: { conditions: [approved()], certificate: b64('x') },
    });
    expect(res.status).toBe(200);
    expect(res.body.metadata.labels).toEqual({ a: 'b' });
    expect(res.body.spec).toEqual(before.spec);
    expect(res.body.status).toEqual({});
  });
});

describe('/approval', () => {
  it('lets an approver add Approved, filling both condition timestamps', async () => {
    const before = await create('approve-me');
    const res = await server.request.put(`${base}/approve-me/approval`).set(as('bob'))
      .send({ ...before, spec: { ...before.spec, usages: ['server auth'] }, status: { conditions: [approved()] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [cond] = res.body.status.conditions;
    expect(cond).toMatchObject(approved());
    expect(cond.lastUpdateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(cond.lastTransitionTime).toBe(cond.lastUpdateTime);
    expect(res.body.spec).toEqual(before.spec);

    const table = await server.request.get(`${base}/approve-me`).set('Accept', 'application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(table.body.columnDefinitions.map((c: { name: string }) => c.name))
      .toEqual(['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition']);
    expect(table.body.rows[0].cells.slice(2)).toEqual([signerName, 'test-admin', '<none>', 'Approved']);
  });

  it('refuses Approved and Denied together', async () => {
    const before = await create('both');
    const res = await server.request.put(`${base}/both/approval`)
      .send({ ...before, status: { conditions: [approved(), { type: 'Denied', status: 'True' }] } });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('CertificateSigningRequest.certificates.k8s.io "both" is invalid: status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive');
    expect((await server.request.get(`${base}/both`)).body.status).toEqual({});
  });

  it('refuses removing an Approved condition', async () => {
    const before = await create('unapprove');
    await server.request.put(`${base}/unapprove/approval`).send({ ...before, status: { conditions: [approved()] } }).expect(200);
    const current = (await server.request.get(`${base}/unapprove`)).body;
    const res = await server.request.put(`${base}/unapprove/approval`).send({ ...current, status: { conditions: [] } });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('CertificateSigningRequest.certificates.k8s.io "unapprove" is invalid: status.conditions: Forbidden: updates may not remove a condition of type "Approved"');
  });

  it('forbids a user without `approve` on the signer, changing nothing', async () => {
    const before = await create('not-yours');
    const rev = await stored('not-yours');
    const res = await server.request.put(`${base}/not-yours/approval`).set(as('alice'))
      .send({ ...before, status: { conditions: [approved()] } });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('certificatesigningrequests.certificates.k8s.io "not-yours" is forbidden: user not permitted to approve requests with signerName "example.com/signer"');
    expect(await stored('not-yours')).toBe(rev);
  });

  it('takes a merge patch of the conditions', async () => {
    await create('patched');
    const res = await server.request.patch(`${base}/patched/approval`).set('Content-Type', 'application/merge-patch+json')
      .send({ status: { conditions: [{ type: 'Denied', status: 'True', reason: 'No' }] } });
    expect(res.status).toBe(200);
    expect(res.body.status.conditions[0]).toMatchObject({ type: 'Denied', status: 'True', reason: 'No' });
  });
});

describe('/status', () => {
  const certificate = () => {
    // Any parseable certificate will do for the API; the signer's own is the simplest at hand.
    return b64(createSelfSignedLike());
  };

  it('lets a signer set the certificate but not approval conditions', async () => {
    const before = await create('issue-me');
    const addApproval = await server.request.put(`${base}/issue-me/status`).send({ ...before, status: { conditions: [approved()] } });
    expect(addApproval.status).toBe(422);
    expect(addApproval.body.message).toBe('CertificateSigningRequest.certificates.k8s.io "issue-me" is invalid: status.conditions: Forbidden: updates may not add a condition of type "Approved"');

    const res = await server.request.put(`${base}/issue-me/status`).set(as('bob')).send({ ...before, status: { certificate: certificate() } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status.certificate).toBe(certificate());
    const again = await server.request.put(`${base}/issue-me/status`).send({ ...res.body, status: { certificate: b64(`${createSelfSignedLike()}\n`) } });
    expect(again.status).toBe(422);
    expect(again.body.message).toBe('CertificateSigningRequest.certificates.k8s.io "issue-me" is invalid: status.certificate: Forbidden: updates may not modify existing certificate content');
  });

  it('refuses a certificate that is not PEM CERTIFICATE blocks', async () => {
    const before = await create('bad-cert');
    const res = await server.request.put(`${base}/bad-cert/status`).send({ ...before, status: { certificate: b64('nope') } });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('CertificateSigningRequest.certificates.k8s.io "bad-cert" is invalid: status.certificate: Invalid value: "<certificate data>": must contain at least one CERTIFICATE PEM block');
  });

  it('forbids a user without `sign` on the signer', async () => {
    const before = await create('no-sign');
    const rev = await stored('no-sign');
    const res = await server.request.put(`${base}/no-sign/status`).set(as('alice')).send({ ...before, status: { certificate: certificate() } });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('certificatesigningrequests.certificates.k8s.io "no-sign" is forbidden: user not permitted to sign requests with signerName "example.com/signer"');
    expect(await stored('no-sign')).toBe(rev);
  });
});

describe('lists', () => {
  it('select on spec.signerName', async () => {
    await create('other-signer', { signerName: 'other.example.com/x' });
    const res = await server.request.get(`${base}?fieldSelector=spec.signerName=other.example.com/x`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['other-signer']);
  });
});

/** A parseable (self-signed) certificate PEM, built with the signer's own code path. */
let selfSigned: string | undefined;
function createSelfSignedLike(): string {
  if (selfSigned) return selfSigned;
  const req = parseCertificateRequestPem(Buffer.from(createCertificateRequestPem(privateKey, { commonName: 'ca' })));
  selfSigned = signCertificate({ subjectDer: req.subjectDer, notAfter: new Date(Date.now() + 86400_000), key: privateKey }, req,
    { usages: ['client auth'], ttlMs: 3600_000, now: new Date() });
  return selfSigned;
}

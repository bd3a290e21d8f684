/** The signer's pure parts: usages → extensions, lifetimes, and each built-in signer's policy. */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCertificateRequestPem } from '../../registry/certificates/request-builder.ts';
import { parseCertificateRequestPem } from '../../registry/certificates/request.ts';
import { keyUsagesFromStrings, signCertificate } from './authority.ts';
import { certificateDurationMs } from './csrsigning-controller.ts';
import { signerNames, signerPolicies } from './signer-policy.ts';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const request = (subject: { commonName?: string; organization?: string[] }, sans = {}) =>
  parseCertificateRequestPem(Buffer.from(createCertificateRequestPem(privateKey, subject, sans)));

describe('keyUsagesFromStrings', () => {
  it('encodes key usage bits with Go\'s unused-bit count and maps extended usages', () => {
    const { keyUsage, extKeyUsage } = keyUsagesFromStrings(['digital signature', 'key encipherment', 'server auth', 'client auth']);
    expect(keyUsage?.toString('hex')).toBe('030205a0');
    expect(extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(keyUsagesFromStrings(['decipher only']).keyUsage?.toString('hex')).toBe('0303070080');
    expect(() => keyUsagesFromStrings(['flying'])).toThrow('unrecognized usage values: ["flying"]');
  });
});

describe('certificateDurationMs', () => {
  const year = 8760 * 3600_000;
  it('honours the request below the maximum, never under ten minutes', () => {
    expect(certificateDurationMs(undefined, year)).toBe(year);
    expect(certificateDurationMs(3600, year)).toBe(3600_000);
    expect(certificateDurationMs(10 * 8760 * 3600, year)).toBe(year);
    expect(certificateDurationMs(60, year)).toBe(600_000);
  });
});

describe('signCertificate', () => {
  it('backdates five minutes and keeps short lifetimes whole, capped at the CA', () => {
    const req = request({ commonName: 'x' });
    const now = new Date('2030-01-01T00:00:00Z');
    const ca = { subjectDer: req.subjectDer, notAfter: new Date('2030-01-02T00:00:00Z'), key: privateKey };
    const short = new X509Certificate(signCertificate(ca, req, { usages: ['client auth'], ttlMs: 3600_000, now }));
    expect([short.validFrom, short.validTo]).toEqual(['Dec 31 23:55:00 2029 GMT', 'Jan  1 01:00:00 2030 GMT']);
    const capped = new X509Certificate(signCertificate(ca, req, { usages: ['client auth'], ttlMs: 48 * 3600_000, now }));
    expect(capped.validTo).toBe('Jan  2 00:00:00 2030 GMT');
    expect(() => signCertificate(ca, req, { usages: [], ttlMs: 1, now: new Date('2031-01-01T00:00:00Z') }))
      .toThrow('refusing to sign a certificate that expired in the past');
  });
});

describe('signer policies', () => {
  const node = { commonName: 'system:node:n1', organization: ['system:nodes'] };
  it('kube-apiserver-client needs client auth and nothing but signing usages', () => {
    const p = signerPolicies[signerNames.kubeAPIServerClient]!;
    expect(p(request({ commonName: 'a' }), ['client auth', 'digital signature'])).toBeUndefined();
    expect(p(request({ commonName: 'a' }), ['digital signature'])).toBe('missing required usage for client certificate: client auth');
    expect(p(request({ commonName: 'a' }), ['client auth', 'server auth'])).toBe('invalid usage for client certificate: server auth');
  });
  it('kubelet-serving needs a node in system:nodes with a DNS or IP name', () => {
    const p = signerPolicies[signerNames.kubeletServing]!;
    const usages = ['digital signature', 'key encipherment', 'server auth'];
    expect(p(request(node, { dnsNames: ['n1'] }), usages)).toBeUndefined();
    expect(p(request(node), usages)).toBe('DNS or IP subjectAltName is required');
    expect(p(request({ commonName: 'n1', organization: ['system:nodes'] }, { ipAddresses: ['10.0.0.1'] }), usages))
      .toBe('subject common name does not begin with system:node:');
    expect(p(request(node, { dnsNames: ['n1'] }), ['server auth'])).toBe('usages did not match [digital signature key encipherment server auth]');
  });
  it('kube-apiserver-client-kubelet refuses subjectAltNames and other organizations', () => {
    const p = signerPolicies[signerNames.kubeAPIServerClientKubelet]!;
    expect(p(request(node), ['digital signature', 'client auth'])).toBeUndefined();
    expect(p(request(node, { dnsNames: ['n1'] }), ['digital signature', 'client auth'])).toBe('DNS subjectAltNames are not allowed');
    expect(p(request({ commonName: 'system:node:n1' }), ['client auth'])).toBe('subject organization is not system:nodes');
  });
});

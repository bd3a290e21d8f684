import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateSans, ensurePki, expectedServingSans } from './pki.ts';

describe('ensurePki', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-pki-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const read = (path: string): string => readFileSync(path, 'utf8');

  it('creates a CA, a serving cert, an admin client cert and the service-account keys', async () => {
    const p = await ensurePki(dir);
    const ca = new X509Certificate(read(p.caCert));
    expect(ca.ca).toBe(true);

    const serving = new X509Certificate(read(p.servingCert));
    expect(serving.checkIssued(ca) && serving.verify(ca.publicKey)).toBe(true);
    expect(serving.checkPrivateKey(createPrivateKey(read(p.servingKey)))).toBe(true);
    expect(serving.checkHost('kubernetes.default.svc.cluster.local')).toBe('kubernetes.default.svc.cluster.local');
    expect(serving.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(serving.checkIP('10.96.0.1')).toBe('10.96.0.1');
    expect(certificateSans(read(p.servingCert))).toEqual(expectedServingSans());
    expect(serving.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth

    const admin = new X509Certificate(read(p.adminCert));
    expect(admin.verify(ca.publicKey)).toBe(true);
    expect(admin.subject).toContain('CN=kubernetes-admin');
    expect(admin.subject).toContain('O=system:masters');
    expect(admin.keyUsage).toContain('1.3.6.1.5.5.7.3.2'); // clientAuth

    expect(createPublicKey(read(p.saPub)).asymmetricKeyType).toBe('rsa');
    expect(createPrivateKey(read(p.saKey)).asymmetricKeyType).toBe('rsa');
    expect(statSync(p.caKey).mode & 0o777).toBe(0o600);
  });

  it('keeps valid files and re-issues only what is missing', async () => {
    const p = await ensurePki(dir);
    const before = { ca: read(p.caCert), admin: read(p.adminCert), sa: read(p.saKey), serving: read(p.servingCert) };
    unlinkSync(p.servingKey);
    await ensurePki(dir);
    expect(read(p.caCert)).toBe(before.ca);
    expect(read(p.adminCert)).toBe(before.admin);
    expect(read(p.saKey)).toBe(before.sa);
    expect(read(p.servingCert)).not.toBe(before.serving);
  });

  it('re-issues every leaf when the CA is replaced', async () => {
    const p = await ensurePki(dir);
    const oldAdmin = read(p.adminCert);
    unlinkSync(p.caKey);
    await ensurePki(dir);
    const ca = new X509Certificate(read(p.caCert));
    expect(read(p.adminCert)).not.toBe(oldAdmin);
    expect(new X509Certificate(read(p.adminCert)).verify(ca.publicKey)).toBe(true);
    expect(new X509Certificate(read(p.servingCert)).verify(ca.publicKey)).toBe(true);
  });
});

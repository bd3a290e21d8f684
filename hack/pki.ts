import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { issueCertificate, newRsaKey, signerFromPem, type CertSigner, type CertSpec } from '../pkg/util/certificates.ts';

/** Absolute or dir-relative paths of every PEM file `ensurePki` keeps. */
export interface PkiPaths {
  dir: string;
  caCert: string;
  caKey: string;
  /** The apiserver's serving certificate and key. */
  servingCert: string;
  servingKey: string;
  /** Client certificate CN=kubernetes-admin, O=system:masters. */
  adminCert: string;
  adminKey: string;
  /** Service-account token signing key pair (PKCS#1 private key, SPKI public key). */
  saKey: string;
  saPub: string;
  /** Client certificates of the components, each its own least-privileged identity (kubeadm's controller-manager.conf, scheduler.conf). */
  controllerManagerCert: string;
  controllerManagerKey: string;
  schedulerCert: string;
  schedulerKey: string;
  fakeKubeletCert: string;
  fakeKubeletKey: string;
  /** The apiserver's client certificate towards kubelets (--kubelet-client-certificate), as kubeadm's apiserver-kubelet-client. */
  kubeletClientCert: string;
  kubeletClientKey: string;
}

/** The users the bootstrap RBAC policy grants each component's rights to (no system:masters). */
export const componentSubjects = {
  controllerManager: 'system:kube-controller-manager',
  scheduler: 'system:kube-scheduler',
  /** Not a kubeadm user: one fake-kubelet speaks for many nodes, so it is bound to system:node cluster-wide (hack/local-components.ts). */
  fakeKubelet: 'kube-ts:fake-kubelet',
} as const;

/** DNS names on the serving certificate, as kubeadm puts them (the last is the cluster domain form). */
export const servingDnsNames = [
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];
/** IPs on the serving certificate: loopback plus the first IP of 10.96.0.0/12, the `kubernetes` Service. */
export const servingIps = ['127.0.0.1', '::1', '10.96.0.1'];
export const adminSubject = { commonName: 'kubernetes-admin', organization: 'system:masters' };
/** kubeadm's apiserver-kubelet-client identity (certs/certlist.go; the group since v1.29). */
export const kubeletClientSubject = { commonName: 'kube-apiserver-kubelet-client', organization: 'kubeadm:cluster-admins' };

const day = 24 * 60 * 60 * 1000;
/** Certificates that expire sooner than this are issued again. */
const renewBefore = 30 * day;

/** The file names follow kubeadm's /etc/kubernetes/pki where kubeadm has one. */
export function pkiPaths(dir: string): PkiPaths {
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    servingCert: join(dir, 'apiserver.crt'),
    servingKey: join(dir, 'apiserver.key'),
    adminCert: join(dir, 'admin.crt'),
    adminKey: join(dir, 'admin.key'),
    saKey: join(dir, 'sa.key'),
    saPub: join(dir, 'sa.pub'),
    controllerManagerCert: join(dir, 'controller-manager.crt'),
    controllerManagerKey: join(dir, 'controller-manager.key'),
    schedulerCert: join(dir, 'scheduler.crt'),
    schedulerKey: join(dir, 'scheduler.key'),
    fakeKubeletCert: join(dir, 'fake-kubelet.crt'),
    fakeKubeletKey: join(dir, 'fake-kubelet.key'),
    kubeletClientCert: join(dir, 'apiserver-kubelet-client.crt'),
    kubeletClientKey: join(dir, 'apiserver-kubelet-client.key'),
  };
}

function writeAtomic(path: string, text: string, mode: number): void {
  writeFileSync(`${path}.tmp`, text, { mode });
  renameSync(`${path}.tmp`, path);
}


/** The serving certificate's SANs, normalised for comparison ("DNS:x", "IP:y"). */
export function expectedServingSans(): string[] {
  return [...servingDnsNames.map((d) => `DNS:${d}`), ...servingIps.map((ip) => `IP:${ip}`)].sort();
}

/** Reads SANs with node-forge so IPv6 is formatted the same way it was written. */
export function certificateSans(certPem: string): string[] {
  const ext = forge.pki.certificateFromPem(certPem).getExtension('subjectAltName') as
    | { altNames?: { type: number; value?: string; ip?: string }[] }
    | undefined;
  return (ext?.altNames ?? []).map((a) => (a.type === 7 ? `IP:${a.ip ?? ''}` : `DNS:${a.value ?? ''}`)).sort();
}

/**
 * True when `certPath`/`keyPath` exist, match, are valid for at least
 * `renewBefore`, and (for leaves) were issued by `ca`.
 */
function isUsable(certPath: string, keyPath: string, ca?: X509Certificate): boolean {
  if (!existsSync(certPath) || !existsSync(keyPath)) return false;
  try {
    const cert = new X509Certificate(readFileSync(certPath));
    if (!cert.checkPrivateKey(createPrivateKey(readFileSync(keyPath)))) return false;
    if (Date.parse(cert.validTo) - Date.now() < renewBefore) return false;
    return ca === undefined || (cert.checkIssued(ca) && cert.verify(ca.publicKey));
  } catch {
    return false;
  }
}

async function writeLeaf(certPath: string, keyPath: string, spec: CertSpec, signer: CertSigner): Promise<void> {
  const key = await newRsaKey();
  writeAtomic(keyPath, key.privatePem, 0o600);
  writeAtomic(certPath, issueCertificate(spec, key, signer), 0o644);
}

/**
 * Makes sure `dir` holds a CA, the apiserver serving certificate, the admin
 * client certificate and the service-account key pair, creating only what is
 * missing, expiring, or no longer matching (a new CA re-issues every leaf).
 * Existing valid files are left untouched, so kubeconfigs stay valid across runs.
 */
export async function ensurePki(dir: string): Promise<PkiPaths> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const paths = pkiPaths(dir);
  if (!isUsable(paths.caCert, paths.caKey)) {
    const key = await newRsaKey();
    const subject = [{ name: 'commonName', value: 'kubernetes' }];
    writeAtomic(paths.caKey, key.privatePem, 0o600);
    writeAtomic(paths.caCert, issueCertificate({ subject, days: 3650, isCa: true }, key), 0o644);
  }
  const caPem = readFileSync(paths.caCert, 'utf8');
  const ca = new X509Certificate(caPem);
  const signer = signerFromPem(caPem, readFileSync(paths.caKey, 'utf8'));
  const servingOk =
    isUsable(paths.servingCert, paths.servingKey, ca) &&
    certificateSans(readFileSync(paths.servingCert, 'utf8')).join() === expectedServingSans().join();
  if (!servingOk) {
    await writeLeaf(paths.servingCert, paths.servingKey, {
      subject: [{ name: 'commonName', value: 'kube-apiserver' }],
      days: 365,
      isCa: false,
      extKeyUsage: 'serverAuth',
      altNames: { dns: servingDnsNames, ips: servingIps },
    }, signer);
  }
  // Client certificates: CN = user, O = group (kubeadm's admin.conf, apiserver-kubelet-client, component kubeconfigs).
  const clients: { cert: string; key: string; commonName: string; organization?: string }[] = [
    { cert: paths.adminCert, key: paths.adminKey, ...adminSubject },
    { cert: paths.kubeletClientCert, key: paths.kubeletClientKey, ...kubeletClientSubject },
    { cert: paths.controllerManagerCert, key: paths.controllerManagerKey, commonName: componentSubjects.controllerManager },
    { cert: paths.schedulerCert, key: paths.schedulerKey, commonName: componentSubjects.scheduler },
    { cert: paths.fakeKubeletCert, key: paths.fakeKubeletKey, commonName: componentSubjects.fakeKubelet },
  ];
  for (const client of clients) {
    if (isUsable(client.cert, client.key, ca)) continue;
    const subject = [
      ...(client.organization !== undefined ? [{ name: 'organizationName', value: client.organization }] : []),
      { name: 'commonName', value: client.commonName },
    ];
    await writeLeaf(client.cert, client.key, { subject, days: 365, isCa: false, extKeyUsage: 'clientAuth' }, signer);
  }
  if (!existsSync(paths.saKey) || !existsSync(paths.saPub)) {
    const key = await newRsaKey();
    writeAtomic(paths.saKey, key.privatePem, 0o600);
    writeAtomic(paths.saPub, key.publicPem, 0o644);
  }
  return paths;
}

/**
 * Client certificates and kubeconfigs for users other than the admin, signed by the test
 * environment's cluster CA, as an administrator would issue them.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { writeKubeconfig } from '../../hack/kubeconfig.ts';
import { sharedEnvironment, type TestCluster } from '../../pkg/testenv/index.ts';
import type { KubectlTarget } from './kubectl.ts';

/** A client certificate CN=<user>, one O per group, signed by the cluster CA. */
export async function clientCert(user: string, groups: readonly string[]): Promise<{ certPem: string; keyPem: string }> {
  const { pki } = await sharedEnvironment();
  const caCert = forge.pki.certificateFromPem(readFileSync(pki.caCert, 'utf8'));
  const caKey = forge.pki.privateKeyFromPem(readFileSync(pki.caKey, 'utf8'));
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `0${randomBytes(16).toString('hex').slice(1)}`;
  cert.validity.notBefore = new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([...groups.map((value) => ({ name: 'organizationName', value })), { name: 'commonName', value: user }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
}

/** A kubeconfig (in its own directory under the cluster's) for `user`, for `new Kubectl(target, binary)`. */
export async function userTarget(cluster: TestCluster, user: string, groups: readonly string[]): Promise<KubectlTarget> {
  const { certPem, keyPem } = await clientCert(user, groups);
  const dir = join(cluster.dir, `user-${user.replace(/[^a-zA-Z0-9-]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  const kubeconfig = join(dir, 'kubeconfig');
  writeKubeconfig(kubeconfig, { server: cluster.apiserverUrl, caPem: cluster.tls.ca, clientCertPem: certPem, clientKeyPem: keyPem, userName: user });
  return { dir, kubeconfig, logTail: (n) => cluster.logTail(n) };
}

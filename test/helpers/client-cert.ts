/**
 * Client certificates and kubeconfigs for users other than the admin, signed by the test
 * environment's cluster CA, as an administrator would issue them.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate, newRsaKey, signerFromPem } from '../../pkg/util/certificates.ts';
import { writeKubeconfig } from '../../hack/kubeconfig.ts';
import { sharedEnvironment, type TestCluster } from '../../pkg/testenv/index.ts';
import type { KubectlTarget } from './kubectl.ts';

/** A client certificate CN=<user>, one O per group, signed by the cluster CA. */
export async function clientCert(user: string, groups: readonly string[]): Promise<{ certPem: string; keyPem: string }> {
  const { pki } = await sharedEnvironment();
  const signer = signerFromPem(readFileSync(pki.caCert, 'utf8'), readFileSync(pki.caKey, 'utf8'));
  const key = await newRsaKey();
  const subject = [...groups.map((value) => ({ name: 'organizationName', value })), { name: 'commonName', value: user }];
  const certPem = issueCertificate({ subject, days: 1, isCa: false, extKeyUsage: 'clientAuth' }, key, signer);
  return { certPem, keyPem: key.privatePem };
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

/**
 * The kubelet endpoint's TLS material: --tls-cert-file/--tls-private-key-file when given, else a
 * self-signed certificate made at start, as the real kubelet does when it has none
 * (pkg/kubelet/kubelet.go, certutil.GenerateSelfSignedCertKey: CN "<host>@<unix time>", valid for
 * the node's addresses and names). The client CA is --client-ca-file, else the CA the
 * kubeconfig trusts for the apiserver (the cluster CA, which signs the apiserver's client cert).
 *
 * TODO(lead): hack/pki.ts `issue` does the same with node-forge; once it is exported (or moved to
 * pkg/), build the certificate with it instead of the few lines below.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { KubeConfig } from '@kubernetes/client-node';
import forge from 'node-forge';

export interface ServingTls { certPem: string; keyPem: string; clientCaPem: string }

export async function servingTls(opts: { certFile?: string; keyFile?: string; clientCaFile?: string; kubeConfig: KubeConfig; hostNames: readonly string[] }): Promise<ServingTls> {
  const { certPem, keyPem } = opts.certFile && opts.keyFile
    ? { certPem: readFileSync(opts.certFile, 'utf8'), keyPem: readFileSync(opts.keyFile, 'utf8') }
    : await selfSigned(opts.hostNames);
  const clientCaPem = opts.clientCaFile
    ? readFileSync(opts.clientCaFile, 'utf8')
    : clusterCa(opts.kubeConfig);
  return { certPem, keyPem, clientCaPem };
}

function clusterCa(kc: KubeConfig): string {
  const cluster = kc.getCurrentCluster();
  if (cluster?.caData) return Buffer.from(cluster.caData, 'base64').toString('utf8');
  if (cluster?.caFile) return readFileSync(cluster.caFile, 'utf8');
  return '';
}

/** A self-signed serving certificate for 127.0.0.1, localhost and the node names, valid one year. */
async function selfSigned(hostNames: readonly string[]): Promise<{ certPem: string; keyPem: string }> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = `0${randomBytes(16).toString('hex').slice(1)}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + 365 * 24 * 60 * 60 * 1000);
  const subject = [{ name: 'commonName', value: `${hostNames[0] ?? 'fake-kubelet'}@${Math.floor(now / 1000)}` }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [
      ...['localhost', ...hostNames].map((value) => ({ type: 2, value })),
      { type: 7, ip: '127.0.0.1' },
    ] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey };
}

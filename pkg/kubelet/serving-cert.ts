/**
 * The kubelet endpoint's TLS material: --tls-cert-file/--tls-private-key-file when given, else a
 * self-signed certificate made at start, as the real kubelet does when it has none
 * (pkg/kubelet/kubelet.go, certutil.GenerateSelfSignedCertKey: CN "<host>@<unix time>", valid for
 * the node's addresses and names). The client CA is --client-ca-file, else the CA the
 * kubeconfig trusts for the apiserver (the cluster CA, which signs the apiserver's client cert).
 */
import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { issueCertificate, newRsaKey } from '../util/certificates.ts';

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
  const key = await newRsaKey();
  const commonName = `${hostNames[0] ?? 'fake-kubelet'}@${Math.floor(Date.now() / 1000)}`;
  const certPem = issueCertificate({
    subject: [{ name: 'commonName', value: commonName }], days: 365, isCa: false, extKeyUsage: 'serverAuth',
    altNames: { dns: ['localhost', ...hostNames], ips: ['127.0.0.1'] },
  }, key);
  return { certPem, keyPem: key.privatePem };
}

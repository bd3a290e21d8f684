/**
 * How the apiserver reaches a node's kubelet (pkg/kubelet/client/kubelet_client.go): the address is
 * the first of the Node's status.addresses in --kubelet-preferred-address-types order (a Hostname
 * falls back to the kubernetes.io/hostname label, as nodeutil.GetPreferredNodeAddress does), the
 * port is status.daemonEndpoints.kubeletEndpoint.Port (10250 when unset), the client certificate
 * is --kubelet-client-certificate/--kubelet-client-key, and the serving certificate is verified
 * against --kubelet-certificate-authority only when one is given (upstream skips it otherwise).
 * The Node's name travels as the TLS server name, so one simulated-kubelet process serving every
 * node on one port can tell which node a node-scoped request (the stats Summary) is about.
 */
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { isIP } from 'node:net';
import type { KubeObject } from '../../../api/index.ts';
import * as apierrors from '../../../apierrors/index.ts';

/** kube-apiserver's default --kubelet-preferred-address-types. */
export const defaultPreferredAddressTypes: readonly string[] = ['Hostname', 'InternalDNS', 'InternalIP', 'ExternalDNS', 'ExternalIP'];
export const nodeAddressTypes: readonly string[] = defaultPreferredAddressTypes;
export const defaultKubeletPort = 10250;

export interface KubeletClientConfig {
  /** PEM of --kubelet-client-certificate / --kubelet-client-key (no client certificate when absent). */
  certPem?: string;
  keyPem?: string;
  /** PEM of --kubelet-certificate-authority; absent: the kubelet's serving certificate is not verified. */
  caPem?: string;
  preferredAddressTypes?: readonly string[];
  /** --kubelet-port: used when a Node reports no kubelet port. */
  defaultPort?: number;
}

export interface KubeletEndpoint {
  host: string;
  port: number;
  nodeName: string;
}

interface NodeAddress { type?: string; address?: string }

/** nodeutil.GetPreferredNodeAddress plus the port, as NodeConnectionInfoGetter.GetConnectionInfo. */
export function kubeletEndpoint(node: KubeObject, cfg: KubeletClientConfig): KubeletEndpoint {
  const status = (node.status ?? {}) as { addresses?: NodeAddress[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
  const addresses = status.addresses ?? [];
  const nodeName = node.metadata.name ?? '';
  const port = status.daemonEndpoints?.kubeletEndpoint?.Port;
  const endpoint = (host: string): KubeletEndpoint => ({ host, port: port && port > 0 ? port : cfg.defaultPort ?? defaultKubeletPort, nodeName });
  for (const type of cfg.preferredAddressTypes ?? defaultPreferredAddressTypes) {
    const found = addresses.find((a) => a.type === type);
    if (found?.address) return endpoint(found.address);
    const hostnameLabel = node.metadata.labels?.['kubernetes.io/hostname'];
    if (type === 'Hostname' && hostnameLabel) return endpoint(hostnameLabel);
  }
  const known = addresses.map((a) => `{${a.type ?? ''} ${a.address ?? ''}}`).join(' ');
  throw new apierrors.StatusError(500, '', `no preferred addresses found; known addresses: [${known}]`);
}

/** OpenSSL's verdicts for a chain that does not lead to a trusted CA. */
const unknownAuthority = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);

/** `Get "<url>": <cause>`, Go's url.Error text for a request that never got a response. */
function transportError(url: string, host: string, port: number, err: NodeJS.ErrnoException): apierrors.StatusError {
  const dial = `dial tcp ${host.includes(':') ? `[${host}]` : host}:${port}`;
  const cause = err.code === 'ECONNREFUSED' ? `${dial}: connect: connection refused`
    : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' ? `${dial}: lookup ${host}: no such host`
      : err.code === 'ETIMEDOUT' || err.name === 'TimeoutError' ? `${dial}: i/o timeout`
        : unknownAuthority.has(err.code ?? '') ? 'tls: failed to verify certificate: x509: certificate signed by unknown authority'
          : err.message;
  return new apierrors.StatusError(500, '', `Get "${url}": ${cause}`);
}

/** Opens GETs to kubelets; one per apiserver (the keys are read once). */
export class KubeletClient {
  private readonly agent: https.Agent;

  constructor(readonly cfg: KubeletClientConfig) {
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 64 });
  }

  /**
   * GET `path` (with its query) from the node's kubelet; resolves with the response, whatever its
   * status, once its head arrives. Throws a 500 StatusError when no response comes (dial, TLS,
   * timeout). `signal` aborts the request and the response body; `insecureSkipTLSVerify` (a pod
   * log's insecureSkipTLSVerifyBackend) skips the serving-certificate check a CA would make.
   */
  get(endpoint: KubeletEndpoint, path: string,
    opts: { signal?: AbortSignal; timeoutMs?: number; insecureSkipTLSVerify?: boolean } = {}): Promise<IncomingMessage> {
    const { host, port } = endpoint;
    const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
    return new Promise((resolve, reject) => {
      const req = https.request({
        host, port, path, method: 'GET', agent: this.agent, signal: opts.signal,
        cert: this.cfg.certPem, key: this.cfg.keyPem,
        ca: this.cfg.caPem, rejectUnauthorized: this.cfg.caPem !== undefined && !opts.insecureSkipTLSVerify,
        // SNI must be a DNS name; the certificate is still checked against the address dialled.
        servername: isIP(endpoint.nodeName) ? undefined : endpoint.nodeName,
        checkServerIdentity: (_name: string, cert: PeerCertificate) => checkServerIdentity(host, cert),
        headers: { 'User-Agent': 'kube-apiserver' },
      }, resolve);
      if (opts.timeoutMs) {
        req.setTimeout(opts.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      }
      req.on('error', (err: NodeJS.ErrnoException) => reject(transportError(url, host, port, err)));
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Reads at most `limit` bytes of a (failed) response's body as text. */
export async function readBodyText(res: IncomingMessage, limit = 50_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    const b = chunk as Buffer;
    chunks.push(b.subarray(0, Math.max(0, limit - size)));
    size += b.length;
    if (size >= limit) break;
  }
  res.destroy();
  return Buffer.concat(chunks).toString('utf8');
}

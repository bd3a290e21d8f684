/**
 * One HTTP request with a kubeconfig's credentials, for the steps where upstream tests use a raw
 * REST client (custom Accept headers, impersonation headers, exact status codes).
 */
import { request } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface RawResponse {
  status: number;
  body: string;
}

export async function rawRequest(kc: KubeConfig, method: string, path: string,
  opts: { headers?: Record<string, string | string[]>; body?: unknown } = {}): Promise<RawResponse> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('no current cluster in the kubeconfig');
  const url = new URL(server);
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string | string[]> = { Accept: 'application/json', ...(opts.headers ?? {}) };
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  const options = { method, headers };
  await kc.applyToHTTPSOptions(options);
  return new Promise<RawResponse>((resolve, reject) => {
    const req = request({ ...options, hostname: url.hostname, port: url.port, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * The scheduler's few writes (pods/binding, pods/status patches, pod deletes, events) over one
 * keep-alive connection pool. TLS material and headers are prepared once from the kubeconfig, not
 * per request: at 10,000 bindings the per-request KubeConfig work of RestClient showed up in
 * profiles. Non-2xx answers reject with ApiError carrying the server's Status.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ApiError } from '../client/rest-client.ts';

export { ApiError };

export interface SchedulerClient {
  request<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T>;
}

/** Bindings and status patches in flight at once over the pool. */
const maxSockets = 64;

export function newSchedulerClient(kubeConfig: KubeConfig): SchedulerClient {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error('kubeconfig has no current cluster');
  const base = new URL(server);
  let prepared: Promise<https.RequestOptions> | undefined;
  const prepare = (): Promise<https.RequestOptions> => {
    prepared ??= (async () => {
      const opts: https.RequestOptions = { headers: {} };
      await kubeConfig.applyToHTTPSOptions(opts);
      const agent = base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, maxSockets, ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: opts.rejectUnauthorized })
        : new http.Agent({ keepAlive: true, maxSockets });
      return { ...opts, agent };
    })();
    return prepared;
  };
  const transport = base.protocol === 'https:' ? https : http;
  return {
    async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
      const opts = await prepare();
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const headers: Record<string, string | number> = { ...(opts.headers as Record<string, string>), Accept: 'application/json' };
      if (payload) { headers['Content-Type'] = contentType; headers['Content-Length'] = payload.length; }
      const url = new URL(path, base);
      return new Promise<T>((resolve, reject) => {
        const req = transport.request(url, { ...opts, method, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = { message: text }; }
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) resolve(parsed as T);
            else reject(new ApiError(code, (parsed ?? {}) as ConstructorParameters<typeof ApiError>[1]));
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}

export const podPath = (namespace: string, name: string): string =>
  `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;

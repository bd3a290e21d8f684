/**
 * The fake-kubelet's calls to the apiserver. Like RestClient (pkg/client/rest-client.ts) but with
 * the content type chosen per call, because the kubelet writes status as patches
 * (application/merge-patch+json), and with a larger connection pool: one process speaks for
 * many nodes. Non-2xx answers reject with ApiError carrying the server's Status.
 */
import https from 'node:https';
import http from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import type { StatusObject } from '../api/index.ts';
import { ApiError } from '../client/rest-client.ts';

export { ApiError };

export class ApiClient {
  private readonly agent = new https.Agent({ keepAlive: true, maxSockets: 32 });
  private readonly server: URL;

  constructor(readonly kubeConfig: KubeConfig, private readonly userAgent: string) {
    const server = kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error('kubeconfig has no current cluster');
    this.server = new URL(server);
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  create<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  update<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  /** JSON merge patch (RFC 7386): objects merge, arrays and scalars replace, null removes. */
  mergePatch<T>(path: string, patch: unknown): Promise<T> {
    return this.request<T>('PATCH', path, patch, 'application/merge-patch+json');
  }

  delete<T>(path: string, options?: unknown): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const url = new URL(path, this.server);
    const opts: https.RequestOptions = { method, headers: { Accept: 'application/json', 'User-Agent': this.userAgent } };
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) opts.headers = { ...opts.headers, 'Content-Type': contentType, 'Content-Length': payload.length };
    const secure = url.protocol === 'https:';
    if (secure) opts.agent = this.agent;
    return new Promise<T>((resolve, reject) => {
      const req = (secure ? https : http).request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = { message: text }; }
          const code = res.statusCode ?? 0;
          if (code >= 200 && code < 300) resolve(parsed as T);
          else reject(new ApiError(code, (parsed ?? {}) as Partial<StatusObject>));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.code === 409;
}

/**
 * A small JSON REST client over a kubeconfig (credentials and TLS from @kubernetes/client-node's
 * KubeConfig), for the generic calls typed clients do not offer: discovery and deletecollection
 * over every resource. Non-2xx answers reject with the server's Status.
 */
import https from 'node:https';
import http from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import type { StatusObject } from '../api/index.ts';

export class ApiError extends Error {
  constructor(readonly code: number, readonly status: Partial<StatusObject>) {
    super(status.message ?? `HTTP ${code}`);
  }
}

export class RestClient {
  readonly kubeConfig: KubeConfig;
  private readonly agent: https.Agent;

  constructor(kubeConfig: KubeConfig) {
    this.kubeConfig = kubeConfig;
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 16 });
  }

  static fromFile(path: string): RestClient {
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    return new RestClient(kc);
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const server = this.kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error('kubeconfig has no current cluster');
    const url = new URL(path, server);
    const opts: https.RequestOptions = { method, headers: { Accept: 'application/json' } };
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) opts.headers = { ...opts.headers, 'Content-Type': 'application/json', 'Content-Length': payload.length };
    const transport = url.protocol === 'https:' ? https : http;
    if (url.protocol === 'https:') opts.agent = this.agent;
    return new Promise<T>((resolve, reject) => {
      const req = transport.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = undefined;
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
}

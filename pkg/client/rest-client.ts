/**
 * The one JSON REST client over a kubeconfig (credentials and TLS from @kubernetes/client-node's
 * KubeConfig) for the calls typed clients do not offer or do too slowly: discovery, deletecollection,
 * subresources, patches with a chosen content type. Every program shares it. TLS material and headers
 * are prepared once and again only when the kubeconfig's token changes (the controller-manager
 * rotates service-account tokens in place): at 10,000 scheduler bindings the per-request KubeConfig
 * work showed up in profiles. Non-2xx answers reject with the server's Status.
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

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.code === 409;
}

export interface RestClientOptions {
  /** Requests in flight at once over the keep-alive pool (default 16). */
  maxSockets?: number;
  /** The User-Agent header, e.g. from buildUserAgent (default: Node's none). */
  userAgent?: string;
}

interface Prepared {
  server: URL;
  token: string | undefined;
  options: https.RequestOptions;
}

export class RestClient {
  readonly kubeConfig: KubeConfig;
  private readonly maxSockets: number;
  private readonly userAgent: string | undefined;
  private prepared: Promise<Prepared> | undefined;
  private agent: http.Agent | undefined;

  constructor(kubeConfig: KubeConfig, opts: RestClientOptions = {}) {
    this.kubeConfig = kubeConfig;
    this.maxSockets = opts.maxSockets ?? 16;
    this.userAgent = opts.userAgent;
  }

  static fromFile(path: string, opts?: RestClientOptions): RestClient {
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    return new RestClient(kc, opts);
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

  /** Strategic merge patch: lists with a patch merge key (conditions by type, containers by name) merge by key. */
  strategicMergePatch<T>(path: string, patch: unknown): Promise<T> {
    return this.request<T>('PATCH', path, patch, 'application/strategic-merge-patch+json');
  }

  delete<T>(path: string, options?: unknown): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const { options, server } = await this.prepare();
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { ...(options.headers as Record<string, string>), Accept: 'application/json' };
    if (this.userAgent !== undefined) headers['User-Agent'] = this.userAgent;
    if (payload) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = payload.length;
    }
    const url = new URL(path, server);
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<T>((resolve, reject) => {
      const req = transport.request(url, { ...options, method, headers }, (res) => {
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

  /** Closes the pooled connections; later requests open new ones. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
    this.prepared = undefined;
  }

  private currentToken(): string | undefined {
    return (this.kubeConfig.getCurrentUser() as { token?: string } | null)?.token;
  }

  private async prepare(): Promise<Prepared> {
    const token = this.currentToken();
    const cached = this.prepared ? await this.prepared.catch(() => undefined) : undefined;
    if (cached && cached.token === token) return cached;
    const next = (async (): Promise<Prepared> => {
      const cluster = this.kubeConfig.getCurrentCluster()?.server;
      if (!cluster) throw new Error('kubeconfig has no current cluster');
      const server = new URL(cluster);
      const options: https.RequestOptions = { headers: {} };
      await this.kubeConfig.applyToHTTPSOptions(options);
      if (!this.agent) {
        this.agent = server.protocol === 'https:'
          ? new https.Agent({
            keepAlive: true, maxSockets: this.maxSockets,
            ca: options.ca, cert: options.cert, key: options.key, rejectUnauthorized: options.rejectUnauthorized,
          })
          : new http.Agent({ keepAlive: true, maxSockets: this.maxSockets });
      }
      return { server, token, options: { ...options, agent: this.agent } };
    })();
    this.prepared = next;
    // A failed preparation (an unreadable key file, say) is tried again by the next request.
    next.catch(() => { if (this.prepared === next) this.prepared = undefined; });
    return next;
  }
}

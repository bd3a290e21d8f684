/**
 * GET requests for lists and watch streams over the kubeconfig's server, credentials and TLS
 * (KubeConfig.applyToHTTPSOptions), with the program's User-Agent. Lists reuse keep-alive
 * connections; each watch gets a connection of its own that is closed with it, so its idle
 * timeout never lingers on a pooled socket.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { StatusObject } from '../../api/index.ts';
import { ApiError } from '../rest-client.ts';

export interface HttpTransportOptions {
  /** Sent as User-Agent on every request, e.g. `kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/70d3cc9`. */
  userAgent?: string;
}

export class HttpTransport {
  private readonly listAgent = new https.Agent({ keepAlive: true, maxSockets: 16 });
  private readonly watchAgent = new https.Agent({ keepAlive: false });

  constructor(private readonly kubeConfig: KubeConfig, private readonly options: HttpTransportOptions = {}) {}

  /** GETs `path` and parses the JSON body; a non-2xx answer rejects with ApiError carrying the server's Status. */
  async getJson<T>(path: string, signal: AbortSignal): Promise<T> {
    const res = await this.open(path, signal, false);
    return JSON.parse(await readBody(res)) as T;
  }

  /**
   * GETs a watch stream: resolves with the response once the server answered 2xx (else ApiError).
   * The request is destroyed when no byte arrives for `idleTimeoutMs` or when `signal` aborts.
   */
  async stream(path: string, signal: AbortSignal, idleTimeoutMs: number): Promise<http.IncomingMessage> {
    return this.open(path, signal, true, idleTimeoutMs);
  }

  private async open(path: string, signal: AbortSignal, watch: boolean, idleTimeoutMs?: number): Promise<http.IncomingMessage> {
    const server = this.kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error('kubeconfig has no current cluster');
    const url = new URL(path, server);
    const opts: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' }, signal };
    await this.kubeConfig.applyToHTTPSOptions(opts);
    if (this.options.userAgent) opts.headers = { ...opts.headers, 'User-Agent': this.options.userAgent };
    const secure = url.protocol === 'https:';
    opts.agent = secure ? (watch ? this.watchAgent : this.listAgent) : undefined;
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(url, opts, (res) => {
        const code = res.statusCode ?? 0;
        if (code >= 200 && code < 300) return resolve(res);
        readBody(res).then((text) => reject(new ApiError(code, parseStatus(text))), reject);
      });
      if (idleTimeoutMs !== undefined) {
        req.setTimeout(idleTimeoutMs, () => req.destroy(new Error(`no data for ${idleTimeoutMs} ms`)));
      }
      req.on('error', reject);
      req.end();
    });
  }
}

/** The whole body as text; rejects when the connection breaks first. */
export async function readBody(res: http.IncomingMessage): Promise<string> {
  res.setEncoding('utf8');
  let text = '';
  for await (const chunk of res) text += chunk as string;
  return text;
}

function parseStatus(text: string): Partial<StatusObject> {
  try {
    return JSON.parse(text) as Partial<StatusObject>;
  } catch {
    return { message: text };
  }
}

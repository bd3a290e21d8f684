/**
 * The fake-kubelet's HTTPS endpoint: the subset of the real kubelet's port-10250 API that the
 * apiserver calls (pkg/kubelet/server/server.go): container logs, the stats Summary and healthz.
 * Every request needs a client certificate that chains to the client CA, as a kubelet run with
 * `--client-ca-file` and anonymous auth off (kubeadm's setting) demands; else 401 "Unauthorized".
 *
 * One process serves every simulated node. Logs need no node (a pod's namespace/name is unique in
 * the cluster); the Summary does, and the caller names it as the TLS server name (SNI), which a real
 * kubelet ignores: the apiserver dials every node's address with `servername` set to the Node's name.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { PodLogSource, UsageSource } from './sources.ts';
import { parseKubeletLogQuery } from './log-query.ts';
import { writeContainerLog } from './container-logs.ts';
import { summaryOf } from './summary.ts';

export type { ContainerLog, ContainerUsage, LogLine, LogLookup, NodeUsage, PodLogSource, PodUsage, UsageSource } from './sources.ts';

export interface KubeletServerOptions {
  /** Loopback address to listen on (127.0.0.1). */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Serving certificate and key, and the CA client certificates (the apiserver's) must chain to. */
  tls: { certPem: string; keyPem: string; clientCaPem: string };
  logs: PodLogSource;
  usage: UsageSource;
  /** The clock (sinceSeconds, Summary time stamps); the real one by default. */
  now?: () => Date;
}

export interface KubeletServer {
  /** The port actually bound. */
  port: number;
  close(): Promise<void>;
}

function plain(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

/** Path segments after the first, %-decoded; undefined when an escape is malformed. */
function segments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/**
 * The kubelet answers 404 when the pod or container is not known to it (getContainerLogs) and 400
 * for every failure of GetKubeletContainerLogs (waiting, no previous instance, …).
 */
function lookupStatus(message: string): number {
  return / does not exist$|^container ".*" not found in pod /.test(message) ? 404 : 400;
}

function serveContainerLogs(res: ServerResponse, parts: string[], url: URL, opts: KubeletServerOptions, now: () => Date): void {
  const [, namespace = '', pod = '', container = ''] = parts;
  if (!pod) { plain(res, 400, '{"message": "Missing podID."}'); return; }
  if (!container) { plain(res, 400, '{"message": "Missing container name."}'); return; }
  const parsed = parseKubeletLogQuery(url.searchParams);
  if (!parsed.ok) { plain(res, parsed.status, parsed.body); return; }
  const lookup = opts.logs.containerLog(namespace, pod, container, parsed.options.previous);
  if (!lookup.found) { plain(res, lookupStatus(lookup.message), lookup.message); return; }
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  writeContainerLog(res, lookup.log, parsed.options, now()).catch(() => res.destroy());
}

function serveSummary(req: IncomingMessage, res: ServerResponse, opts: KubeletServerOptions, now: () => Date): void {
  const servername = (req.socket as TLSSocket).servername;
  const nodeName = typeof servername === 'string' ? servername : '';
  const at = now();
  const usage = nodeName ? opts.usage.nodeUsage(nodeName, at) : undefined;
  if (!usage) {
    plain(res, 404, nodeName ? `node "${nodeName}" is not run by this kubelet` : 'the node name must be given as the TLS server name (SNI)');
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(summaryOf(usage, at)));
}

function handle(req: IncomingMessage, res: ServerResponse, opts: KubeletServerOptions, now: () => Date): void {
  if (!(req.socket as TLSSocket).authorized) { plain(res, 401, 'Unauthorized\n'); return; }
  const url = new URL(req.url ?? '/', 'https://kubelet');
  const parts = segments(url.pathname);
  const route = parts?.[0];
  const known = route === 'healthz' ? parts!.length === 1
    : route === 'stats' ? parts!.length === 2 && parts![1] === 'summary'
      : route === 'containerLogs' ? parts!.length === 4 : false;
  if (!parts || !known) { plain(res, 404, '404 page not found\n'); return; }
  if (req.method !== 'GET' && req.method !== 'HEAD') { plain(res, 405, '405: Method Not Allowed'); return; }
  if (route === 'healthz') plain(res, 200, 'ok');
  else if (route === 'stats') serveSummary(req, res, opts, now);
  else serveContainerLogs(res, parts, url, opts, now);
}

export async function startKubeletServer(opts: KubeletServerOptions): Promise<KubeletServer> {
  const now = opts.now ?? (() => new Date());
  const server = https.createServer({
    cert: opts.tls.certPem, key: opts.tls.keyPem, ca: opts.tls.clientCaPem,
    // Asked for, checked per request: a missing or foreign certificate gets the kubelet's 401, not a TLS alert.
    requestCert: true, rejectUnauthorized: false,
  }, (req, res) => handle(req, res, opts, now));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => { server.off('error', reject); resolve(); });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

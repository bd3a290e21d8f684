/** Starts the apiserver: storage, registry, caches, bootstrap objects, and the HTTPS listener. */
import https from 'node:https';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { EtcdStore, startCompactor } from '../storage/etcd/index.ts';
import { Registry } from '../registry/registry.ts';
import { validateObject } from '../openapi/index.ts';
import { logger } from '../util/log.ts';
import { buildApp, installClientErrorHandler, listenerOptions } from './server.ts';
import { clientCertAuthenticator, type Authenticator } from '../auth/authentication/index.ts';
import { bootstrapCluster } from './bootstrap.ts';
import { bootstrapPriorityClasses } from './bootstrap-priority-classes.ts';
import { AdmissionChain, admissionPlugins } from '../admission/index.ts';
import { authorizersFor, type AuthorizationMode } from './authorization-modes.ts';
import { authorizerChain } from '../auth/authorization/index.ts';
import { registerRestObjects } from './rest-objects.ts';
import { loadPolicyFile, logBackend } from '../audit/index.ts';
import type { AuditConfig } from './filters/audit.ts';
import { firstServiceIP } from './service-cidr.ts';
import { tokenAuthentication, type TokenAuthConfig } from './token-authentication.ts';
import { impersonate } from './filters/impersonation.ts';
import { reconcileBootstrapPolicy } from '../auth/rbac/bootstrap-policy/index.ts';
import { trackPostStartHook } from './health.ts';
import type { KubeletClientConfig } from '../registry/core/pod/kubelet-client.ts';
import { routeUpgrades } from '../util/websocket.ts';

export interface ApiServerConfig {
  etcdServers: string[];
  etcdPrefix: string;
  bindAddress: string;
  securePort: number;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCAFile?: string;
  serviceClusterIPRange: string;
  serviceNodePortRange: [number, number];
  /** Extra authenticators tried before client certificates (tokens, in a later issue). */
  authenticators?: Authenticator[];
  /** --authorization-mode, in order; default AlwaysAllow as kube-apiserver's. */
  authorizationModes?: AuthorizationMode[];
  /** --anonymous-auth (default true; forced off under AlwaysAllow, as kube-apiserver does). */
  anonymousAuth?: boolean;
  /** --disable-admission-plugins: plugin names left out of the admission chain. */
  disableAdmissionPlugins?: string[];
  /** Bearer tokens: --token-auth-file, --service-account-* and --api-audiences, loaded. */
  tokenAuth?: TokenAuthConfig;
  /** --audit-policy-file: which requests are audited, at which level. */
  auditPolicyFile?: string;
  /** --audit-log-path: where audit events go, one JSON line each ("-" for standard output). */
  auditLogPath?: string;
  /** --kubelet-client-certificate / --kubelet-client-key / --kubelet-certificate-authority (files). */
  kubeletClientCertificate?: string;
  kubeletClientKey?: string;
  kubeletCertificateAuthority?: string;
  /** --kubelet-preferred-address-types. */
  kubeletPreferredAddressTypes?: string[];
}

export interface RunningApiServer {
  port: number;
  registry: Registry;
  close(): Promise<void>;
  /** Resolves once close() (called directly or by the abort signal) has finished. */
  closed: Promise<void>;
}

const log = logger('kube-apiserver');

/** Auditing needs both a policy and a log path; a log path alone records nothing, as upstream warns. */
function auditConfig(cfg: ApiServerConfig): AuditConfig | undefined {
  if (!cfg.auditLogPath) return undefined;
  if (!cfg.auditPolicyFile) {
    log.warn('No audit policy file provided, no events will be recorded for log backend');
    return undefined;
  }
  return { policy: loadPolicyFile(cfg.auditPolicyFile), backend: logBackend(cfg.auditLogPath) };
}

/** The kubelet client's keys and CA, read once at start. */
function kubeletClientConfig(cfg: ApiServerConfig): KubeletClientConfig {
  const read = (path: string | undefined) => (path ? readFileSync(path, 'utf8') : undefined);
  return {
    certPem: read(cfg.kubeletClientCertificate), keyPem: read(cfg.kubeletClientKey), caPem: read(cfg.kubeletCertificateAuthority),
    preferredAddressTypes: cfg.kubeletPreferredAddressTypes,
  };
}

export async function runApiServer(cfg: ApiServerConfig, signal?: AbortSignal): Promise<RunningApiServer> {
  const etcd = new EtcdStore({ endpoints: cfg.etcdServers, prefix: cfg.etcdPrefix });
  const registry = new Registry({
    etcd, serviceCIDR: cfg.serviceClusterIPRange, nodePortRange: cfg.serviceNodePortRange,
    schemaErrors: (entry, obj) => validateObject(entry.group, entry.version, entry.kind, obj),
  });
  await registry.startCaches();
  const stopCompactor = startCompactor(etcd, 5 * 60_000, (err) => log.warn('compaction failed', { error: String(err) }));
  let port = cfg.securePort;
  const modes = cfg.authorizationModes ?? ['AlwaysAllow'];
  const anonymous = (cfg.anonymousAuth ?? true) && !modes.includes('AlwaysAllow');
  const authorizer = authorizerChain(authorizersFor(modes, { registry }));
  const audit = auditConfig(cfg);
  const tokens = tokenAuthentication(cfg.tokenAuth ?? {}, registry);
  registerRestObjects({ registry, authorizer, tokens, kubelet: kubeletClientConfig(cfg) });
  const app = buildApp({
    registry,
    authenticators: [...(cfg.authenticators ?? []), clientCertAuthenticator, ...tokens.authenticators],
    impersonate,
    anonymous,
    authorizer,
    audit,
    admission: new AdmissionChain(admissionPlugins({ registry, now: () => new Date(), authorizer }, { disabled: cfg.disableAdmissionPlugins })),
    advertiseAddress: `${cfg.bindAddress}:${cfg.securePort}`,
    storageHealthy: async () => {
      try { await etcd.currentRevision(); return true; } catch { return false; }
    },
  });
  const server = cfg.tlsCertFile && cfg.tlsPrivateKeyFile
    ? https.createServer({
      ...listenerOptions,
      cert: readFileSync(cfg.tlsCertFile), key: readFileSync(cfg.tlsPrivateKeyFile),
      ca: cfg.clientCAFile ? readFileSync(cfg.clientCAFile) : undefined,
      requestCert: true, rejectUnauthorized: false,
    }, app)
    : http.createServer(listenerOptions, app);
  installClientErrorHandler(server);
  routeUpgrades(server, app); // WebSocket requests (pods/log) pass the same handler chain
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.securePort, cfg.bindAddress, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  await bootstrapCluster(registry, firstServiceIP(cfg.serviceClusterIPRange), port);
  // PostStartHook scheduling/bootstrap-system-priority-classes.
  await bootstrapPriorityClasses(registry);
  // PostStartHook rbac/bootstrap-roles: /readyz fails until the default policy is in place, and a
  // failure stops start-up (upstream exits) rather than serving without it.
  const rbacBootstrap = reconcileBootstrapPolicy(registry);
  trackPostStartHook(app, 'rbac/bootstrap-roles', rbacBootstrap);
  await rbacBootstrap;
  log.info('serving', { address: cfg.bindAddress, port, tls: Boolean(cfg.tlsCertFile) });
  let closing: Promise<void> | undefined;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => { markClosed = resolve; });
  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopCompactor();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await registry.stop();
      await audit?.backend.close();
      await etcd.close();
      markClosed();
    })();
    return closing;
  };
  signal?.addEventListener('abort', () => { void close(); }, { once: true });
  return { port, registry, close, closed };
}

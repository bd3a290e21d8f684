/**
 * An apiserver built in-process over the integration etcd cluster, with its own key prefix so
 * test files can share the cluster and run in parallel. Requests are made with supertest.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import supertest from 'supertest';
import { EtcdStore } from '../../pkg/storage/etcd/index.ts';
import { Registry } from '../../pkg/registry/registry.ts';
import { defaultMetaSources } from '../../pkg/registry/generic/object-meta.ts';
import { validateObject } from '../../pkg/openapi/index.ts';
import { buildApp, installClientErrorHandler, listenerOptions } from '../../pkg/apiserver/server.ts';
import { fixedUserAuthenticator } from '../../pkg/auth/authentication/index.ts';
import { bootstrapCluster } from '../../pkg/apiserver/bootstrap.ts';
import { bootstrapPriorityClasses } from '../../pkg/apiserver/bootstrap-priority-classes.ts';
import { sharedEnvironment } from '../../pkg/testenv/index.ts';
import { AdmissionChain, admissionPlugins } from '../../pkg/admission/index.ts';
import { authorizerChain } from '../../pkg/auth/authorization/index.ts';
import type { Authenticator } from '../../pkg/auth/authentication/index.ts';
import { authorizersFor, type AuthorizationMode } from '../../pkg/apiserver/authorization-modes.ts';
import { registerRestObjects } from '../../pkg/apiserver/rest-objects.ts';
import { tokenAuthentication, type TokenAuthConfig } from '../../pkg/apiserver/token-authentication.ts';
import { impersonate } from '../../pkg/apiserver/filters/impersonation.ts';
import type { AuditConfig } from '../../pkg/apiserver/filters/audit.ts';
import { reconcileBootstrapPolicy } from '../../pkg/auth/rbac/bootstrap-policy/index.ts';
import type { KubeletClientConfig } from '../../pkg/registry/core/pod/kubelet-client.ts';
import { routeUpgrades } from '../../pkg/util/websocket.ts';

export interface TestServer {
  request: supertest.Agent;
  registry: Registry;
  etcd: EtcdStore;
  /** Base URL of a real listening HTTP server (for streaming clients such as watches). */
  url: string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Period of watch BOOKMARK events (the real server's is about a minute). */
  bookmarkIntervalMs?: number;
  /** Events each watch cache keeps; small values make "too old resourceVersion" easy to reach. */
  watchCacheSize?: number;
  /** generateName suffixes (the real random ones by default), to provoke name collisions. */
  nameSuffix?: () => string;
  /** Authenticators in place of the default (every request is test-admin in system:masters). */
  authenticators?: Authenticator[];
  /** --authorization-mode; default AlwaysAllow. */
  authorizationModes?: AuthorizationMode[];
  /** --anonymous-auth. */
  anonymous?: boolean;
  /** Bearer tokens (static, service-account JWTs), tried after `authenticators`; pass `authenticators: []` to test them alone. */
  tokenAuth?: TokenAuthConfig;
  /** --disable-admission-plugins; default ['ServiceAccount'] ([] runs every plugin, as a real server). */
  disableAdmissionPlugins?: string[];
  /** Audit policy and backend. */
  audit?: AuditConfig;
  /** Reconcile the default RBAC policy at start, as kube-apiserver's rbac/bootstrap-roles hook (off: it costs ~130 writes). */
  bootstrapPolicy?: boolean;
  /** How pods/log and metrics.k8s.io reach kubelets (--kubelet-client-certificate, …). */
  kubelet?: KubeletClientConfig;
  /** How long metrics.k8s.io reuses a node's kubelet Summary. */
  metricsCacheMs?: number;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const { etcdEndpoints } = await sharedEnvironment();
  const etcd = new EtcdStore({ endpoints: [...etcdEndpoints], prefix: `/test-${randomUUID()}/registry` });
  const registry = new Registry({
    etcd, serviceCIDR: '10.96.0.0/12', nodePortRange: [30000, 32767],
    schemaErrors: (entry, obj) => validateObject(entry.group, entry.version, entry.kind, obj),
    watchCacheSize: opts.watchCacheSize,
    meta: opts.nameSuffix ? { ...defaultMetaSources, nameSuffix: opts.nameSuffix } : undefined,
  });
  await registry.startCaches();
  const authorizer = authorizerChain(authorizersFor(opts.authorizationModes ?? ['AlwaysAllow'], { registry }));
  const tokens = tokenAuthentication(opts.tokenAuth ?? {}, registry);
  registerRestObjects({ registry, authorizer, tokens, kubelet: opts.kubelet, metricsCacheMs: opts.metricsCacheMs });
  const app = buildApp({
    registry,
    authenticators: [
      ...(opts.authenticators ?? [fixedUserAuthenticator({ username: 'test-admin', groups: ['system:masters', 'system:authenticated'] })]),
      ...tokens.authenticators,
    ],
    impersonate,
    anonymous: opts.anonymous,
    audit: opts.audit,
    authorizer,
    admission: new AdmissionChain(admissionPlugins({ registry, now: () => new Date(), authorizer }, {
      // Old tests create pods where no `default` ServiceAccount exists and no controller makes one.
      disabled: opts.disableAdmissionPlugins ?? ['ServiceAccount'],
    })),
    advertiseAddress: '127.0.0.1:6443',
    bookmarkIntervalMs: opts.bookmarkIntervalMs,
    storageHealthy: async () => true,
  });
  await bootstrapCluster(registry, '10.96.0.1', 6443);
  await bootstrapPriorityClasses(registry);
  if (opts.bootstrapPolicy) await reconcileBootstrapPolicy(registry);
  // The listener options and client-error answers of the real server (pkg/apiserver/run.ts).
  const server = http.createServer(listenerOptions, app);
  installClientErrorHandler(server);
  routeUpgrades(server, app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    request: supertest.agent(server),
    registry,
    etcd,
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await registry.stop();
      await etcd.client.delete().prefix(etcd.prefix).exec();
      await etcd.close();
    },
  };
}

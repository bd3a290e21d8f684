import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeKubeconfig } from './kubeconfig.ts';
import { startProcess, type ManagedProcess } from './managed-process.ts';
import { componentSubjects, type PkiPaths } from './pki.ts';
import { isConflict, isNotFound, RestClient } from '../pkg/client/rest-client.ts';
import { waitForReadyz } from './wait-readyz.ts';

/** What `make run-local` knows once etcd runs and the certificates exist. */
export interface LocalContext {
  /** Repository root; entries are relative to it. */
  root: string;
  pki: PkiPaths;
  etcdEndpoints: readonly string[];
  apiserverPort: number;
  /** https://127.0.0.1:<apiserverPort> */
  apiserverUrl: string;
  /** Admin kubeconfig, written before the first program starts. */
  kubeconfig: string;
  /** Milliseconds a program may take to become ready. */
  readyTimeoutMs: number;
  /** How often readiness is polled (default 250 ms). */
  readyPollMs?: number;
  /** The apiserver's etcd key prefix (default its own, /registry); clusters sharing one etcd differ here. */
  etcdPrefix?: string;
  /** Audit policy and log for the apiserver (run-local keeps one; test clusters do not). */
  audit?: { policyFile: string; logPath: string };
}

/**
 * One program under cmd/ that run-local starts, in list order, after etcd.
 * Adding a program is adding an entry here.
 */
export interface LocalComponent {
  /** Also the log file name: .local/logs/<name>.log */
  name: string;
  /** TypeScript entry point, relative to the repository root. */
  entry: string;
  /** Skipped with a note while `entry` does not exist yet; a missing required entry is an error. */
  optional: boolean;
  args(ctx: LocalContext): string[];
  /** Resolves once the program serves; `signal` aborts when it has died. Absent: started is enough. */
  ready?(ctx: LocalContext, signal: AbortSignal): Promise<void>;
  /**
   * The client certificate the program authenticates with, as kubeadm gives each component its
   * own kubeconfig (controller-manager.conf, scheduler.conf); absent: the admin kubeconfig.
   */
  identity?(pki: PkiPaths): { cert: string; key: string };
  /**
   * Objects the program's identity needs that the bootstrap policy does not hold (kwok ships its
   * controller's RBAC the same way), applied as the admin before the program starts.
   */
  prerequisites?(pki: PkiPaths): object[];
}

/** Where a component's own kubeconfig is written: beside the admin one. */
export function componentKubeconfig(ctx: LocalContext, name: string): string {
  return join(dirname(ctx.kubeconfig), `${name}.kubeconfig`);
}

/** The apiserver flags, named and shaped like the real kube-apiserver's. */
export function apiserverArgs(ctx: LocalContext): string[] {
  return [
    `--etcd-servers=${ctx.etcdEndpoints.join(',')}`,
    ...(ctx.etcdPrefix !== undefined ? [`--etcd-prefix=${ctx.etcdPrefix}`] : []),
    `--secure-port=${ctx.apiserverPort}`,
    '--bind-address=127.0.0.1',
    `--tls-cert-file=${ctx.pki.servingCert}`,
    `--tls-private-key-file=${ctx.pki.servingKey}`,
    `--client-ca-file=${ctx.pki.caCert}`,
    '--service-cluster-ip-range=10.96.0.0/12',
    '--service-node-port-range=30000-32767',
    `--service-account-key-file=${ctx.pki.saPub}`,
    `--service-account-signing-key-file=${ctx.pki.saKey}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    ...(ctx.audit ? [`--audit-policy-file=${ctx.audit.policyFile}`, `--audit-log-path=${ctx.audit.logPath}`] : []),
    // The bootstrap policy (reconciled at start) lets every component and kubectl discovery through;
    // nodes (system:node:<name>) are authorized by the Node authorizer first, as kubeadm sets it up.
    '--authorization-mode=Node,RBAC',
    // pods/log and metrics.k8s.io reach the fake-kubelet as kubeadm sets kube-apiserver up to reach kubelets.
    `--kubelet-client-certificate=${ctx.pki.kubeletClientCert}`,
    `--kubelet-client-key=${ctx.pki.kubeletClientKey}`,
    '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
  ];
}

const ownKubeconfigArgs = (name: string) => (ctx: LocalContext): string[] => [`--kubeconfig=${componentKubeconfig(ctx, name)}`];

/** The controller-manager also signs CSRs for the kubernetes.io signers with the cluster CA (csrsigning). */
/**
 * As kubeadm runs it: its own identity (system:kube-controller-manager, never system:masters) and
 * each controller as its own service account, bound by the bootstrap policy to its role.
 */
const controllerManagerArgs = (ctx: LocalContext): string[] => [
  ...ownKubeconfigArgs('kube-controller-manager')(ctx),
  '--use-service-account-credentials=true',
  `--cluster-signing-cert-file=${ctx.pki.caCert}`,
  `--cluster-signing-key-file=${ctx.pki.caKey}`,
];

/** Everything run-local starts after etcd, in order. */
export const localComponents: readonly LocalComponent[] = [
  {
    name: 'kube-apiserver',
    entry: 'cmd/kube-apiserver/main.ts',
    optional: false,
    args: apiserverArgs,
    ready: (ctx, signal) =>
      waitForReadyz(
        ctx.apiserverUrl,
        {
          ca: readFileSync(ctx.pki.caCert, 'utf8'),
          cert: readFileSync(ctx.pki.adminCert, 'utf8'),
          key: readFileSync(ctx.pki.adminKey, 'utf8'),
        },
        ctx.readyTimeoutMs,
        signal,
        ctx.readyPollMs,
      ),
  },
  // The programs below talk to the apiserver only; like the real binaries they take --kubeconfig.
  {
    name: 'kube-scheduler', entry: 'cmd/kube-scheduler/main.ts', optional: true, args: ownKubeconfigArgs('kube-scheduler'),
    identity: (pki) => ({ cert: pki.schedulerCert, key: pki.schedulerKey }),
  },
  {
    name: 'kube-controller-manager', entry: 'cmd/kube-controller-manager/main.ts', optional: true, args: controllerManagerArgs,
    identity: (pki) => ({ cert: pki.controllerManagerCert, key: pki.controllerManagerKey }),
  },
  {
    name: 'fake-kubelet', entry: 'cmd/fake-kubelet/main.ts', optional: true, args: ownKubeconfigArgs('fake-kubelet'),
    identity: (pki) => ({ cert: pki.fakeKubeletCert, key: pki.fakeKubeletKey }),
    prerequisites: () => [fakeKubeletBinding],
  },
];

/**
 * A real kubelet is system:node:<name>, held to its own node by the Node authorizer. One fake-kubelet
 * speaks for many nodes, so it gets the kubelet's role (system:node) cluster-wide, and nothing more.
 */
const fakeKubeletBinding = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: componentSubjects.fakeKubelet },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node' },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: componentSubjects.fakeKubelet }],
};

/**
 * Creates or replaces a component's prerequisites as the admin (run-local owns these objects, so its
 * copy wins). Create-or-update rather than server-side apply, which the apiserver does not serve yet.
 */
export async function applyPrerequisites(component: LocalComponent, ctx: LocalContext): Promise<void> {
  const objects = component.prerequisites?.(ctx.pki) ?? [];
  if (objects.length === 0) return;
  const client = RestClient.fromFile(ctx.kubeconfig);
  try {
    for (const object of objects) await createOrReplace(client, object);
  } finally {
    client.close();
  }
}

async function createOrReplace(client: RestClient, object: object, attempts = 3): Promise<void> {
  const path = objectPath(object);
  let live: { metadata?: { resourceVersion?: string } } | undefined;
  try {
    live = await client.get(path);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    if (live === undefined) {
      await client.create(path.slice(0, path.lastIndexOf('/')), object);
    } else {
      const metadata = { ...(object as { metadata: object }).metadata, resourceVersion: live.metadata?.resourceVersion };
      await client.update(path, { ...object, metadata });
    }
  } catch (err) {
    // Someone else created or changed it in between: read it again.
    if (!isConflict(err) || attempts <= 1) throw err;
    await createOrReplace(client, object, attempts - 1);
  }
}

/** The URL of a cluster-scoped object of a known group (the prerequisites are RBAC bindings and roles). */
function objectPath(object: object): string {
  const { apiVersion, kind, metadata } = object as { apiVersion: string; kind: string; metadata: { name: string } };
  const plural = { ClusterRoleBinding: 'clusterrolebindings', ClusterRole: 'clusterroles' }[kind];
  if (!plural) throw new Error(`prerequisite kind ${kind} is not supported`);
  return `/apis/${apiVersion}/${plural}/${encodeURIComponent(metadata.name)}`;
}

/**
 * Starts one component the way run-local does: a single node process with tsx loaded as a hook
 * (no npx/tsx wrapper processes), logging to <logDir>/<name>.log. `bundle` runs a prebuilt bundle
 * of the same entry instead (pkg/testenv/bundle.ts). Returns undefined for an optional component
 * whose entry does not exist yet; throws for a missing required one.
 */
export function startComponent(component: LocalComponent, ctx: LocalContext,
  opts: { logDir: string; nodeArgs?: readonly string[]; bundle?: string }): ManagedProcess | undefined {
  const entry = join(ctx.root, component.entry);
  if (!existsSync(entry)) {
    if (component.optional) return undefined;
    throw new Error(`${component.entry} does not exist`);
  }
  const script = opts.bundle !== undefined ? [opts.bundle] : ['--import', 'tsx', entry];
  const identity = component.identity?.(ctx.pki);
  if (identity) {
    writeKubeconfig(componentKubeconfig(ctx, component.name), {
      server: ctx.apiserverUrl, caPem: readFileSync(ctx.pki.caCert, 'utf8'),
      clientCertPem: readFileSync(identity.cert, 'utf8'), clientKeyPem: readFileSync(identity.key, 'utf8'),
    });
  }
  return startProcess({
    name: component.name,
    command: process.execPath,
    args: [...(opts.nodeArgs ?? []), ...script, ...component.args(ctx)],
    logFile: join(opts.logDir, `${component.name}.log`),
    cwd: ctx.root,
    // A bundle no longer sits beside openapi/: tell it where the repository is (pkg/util/repo-path.ts).
    env: opts.bundle !== undefined ? { ...process.env, KUBE_TS_ROOT: ctx.root } : undefined,
  });
}

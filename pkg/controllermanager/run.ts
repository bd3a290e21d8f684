/**
 * kube-controller-manager's run loop (kubernetes cmd/kube-controller-manager/app/controllermanager.go):
 * the enabled controllers over one shared informer factory, started only while this process holds
 * the Lease when leader election is on; losing the lease exits the process.
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { KubeConfig, type V1Namespace } from '@kubernetes/client-node';
import type { KubeObject } from '../api/index.ts';
import { versionInfo } from '../apiserver/version.ts';
import {
  buildUserAgent, newSharedInformerFactory, resourceRefs, withUserAgent, type SharedInformerFactory,
} from '../client/informers/index.ts';
import { runElected } from '../client/leaderelection/index.ts';
import { RestClient } from '../client/rest-client.ts';
import { newNamespaceController } from '../controllers/namespace/namespace-controller.ts';
import { loadAuthority } from '../controllers/certificates/authority.ts';
import { newCsrSigningController } from '../controllers/certificates/csrsigning-controller.ts';
import { newClusterRoleAggregationController } from '../controllers/clusterrole-aggregation/clusterrole-aggregation-controller.ts';
import { newPerNamespaceController } from '../controllers/per-namespace/per-namespace-controller.ts';
import { newResourceQuotaController } from '../controllers/resourcequota/resource-quota-controller.ts';
import { newReplicaController } from '../controllers/replicaset/replicaset-controller.ts';
import { newDeploymentController } from '../controllers/deployment/index.ts';
import { newGarbageCollector } from '../controllers/garbagecollector/index.ts';
import { replicaSetKind, replicationControllerKind } from '../controllers/replicaset/replica-kind.ts';
import { defaultServiceAccount, rootCAConfigMap } from '../controllers/per-namespace/defaults.ts';
import { logger } from '../util/log.ts';
import { enabled, type ControllerManagerOptions } from './options.ts';
import { rootClientBuilder, serviceAccountClientBuilder, type ClientBuilder } from './client-builder.ts';

const program = 'kube-controller-manager';
const log = logger(program);


type Runnable = { run(signal: AbortSignal): Promise<void> };

/** Builds the enabled controllers; each asks the factory for the informers it reads. */
function buildControllers(opts: ControllerManagerOptions, clients: ClientBuilder, factory: SharedInformerFactory): Runnable[] {
  const on = (name: string) => enabled(opts.controllers, name);
  // Each controller's credentials, under the service-account name upstream gives it.
  const client = (serviceAccount: string) => clients.clientFor(serviceAccount);
  const namespaces = () => factory.informerFor<V1Namespace>(resourceRefs.namespaces);
  const controllers: Runnable[] = [];
  if (on('namespace-controller')) {
    controllers.push(newNamespaceController({ client: client('namespace-controller'), namespaces: namespaces() }));
  }
  if (on('serviceaccount-controller')) {
    const managed = factory.informerFor<KubeObject>(resourceRefs.serviceaccounts);
    controllers.push(newPerNamespaceController({ client: client('service-account-controller'), namespaces: namespaces(), managed }, defaultServiceAccount));
  }
  if (on('root-ca-certificate-publisher-controller')) {
    // The CA comes from --root-ca-file, else from the kubeconfig's cluster (what run-local writes).
    const publisher = client('root-ca-cert-publisher');
    const caData = opts.rootCAFile
      ? readFileSync(opts.rootCAFile, 'utf8')
      : Buffer.from(publisher.kubeConfig.getCurrentCluster()?.caData ?? '', 'base64').toString('utf8');
    if (!caData) log.warn('root-ca-cert-publisher not started: no CA in --root-ca-file or the kubeconfig');
    else {
      const managed = factory.informerFor<KubeObject>(resourceRefs.configmaps);
      controllers.push(newPerNamespaceController({ client: publisher, namespaces: namespaces(), managed }, rootCAConfigMap(caData)));
    }
  }
  if (on('resourcequota-controller')) controllers.push(newResourceQuotaController({ client: client('resourcequota-controller'), factory }));
  if (on('clusterrole-aggregation-controller')) {
    controllers.push(newClusterRoleAggregationController({
      client: client('clusterrole-aggregation-controller'), clusterRoles: factory.informerFor(resourceRefs.clusterroles),
    }));
  }
  if (on('certificatesigningrequest-signing-controller')) {
    const { certFile, keyFile, durationMs } = opts.clusterSigning;
    // Upstream skips the signer when there is no CA to sign with.
    if (!certFile || !keyFile) log.warn('csrsigning not started: no --cluster-signing-cert-file / --cluster-signing-key-file');
    else {
      const ca = loadAuthority(readFileSync(certFile, 'utf8'), readFileSync(keyFile, 'utf8'));
      controllers.push(newCsrSigningController({
        client: client('certificate-controller'), csrs: factory.informerFor(resourceRefs.certificatesigningrequests), ca, maxDurationMs: durationMs,
      }));
    }
  }
  // One implementation for both kinds, as upstream's ReplicationManager wraps the ReplicaSet controller.
  for (const [name, kind] of [['replicaset-controller', replicaSetKind], ['replicationcontroller-controller', replicationControllerKind]] as const) {
    if (!on(name)) continue;
    controllers.push(newReplicaController({
      kind, client: client(kind.component), owners: factory.informerFor(kind.resource), pods: factory.informerFor(resourceRefs.pods),
    }));
  }
  if (on('deployment-controller')) controllers.push(newDeploymentController({ client: client('deployment-controller'), factory }));
  if (on('garbage-collector-controller')) controllers.push(newGarbageCollector({ client: client('generic-garbage-collector'), factory }));
  return controllers;
}

/**
 * Runs until `signal` aborts (resolves once everything has stopped). Calls `onLeaseLost` when a
 * leader loses its lease without being asked to stop: the caller exits, as upstream does.
 */
export async function runControllerManager(opts: ControllerManagerOptions, signal: AbortSignal, onLeaseLost: () => void): Promise<void> {
  const userAgent = buildUserAgent(program, versionInfo);
  const loaded = new KubeConfig();
  loaded.loadFromFile(opts.kubeconfig);
  const kubeConfig = withUserAgent(loaded, userAgent);
  const client = new RestClient(kubeConfig);
  const factory = newSharedInformerFactory(kubeConfig, { userAgent });
  const clients = opts.useServiceAccountCredentials ? serviceAccountClientBuilder(client) : rootClientBuilder(client);
  const controllers = buildControllers(opts, clients, factory);

  const runControllers = async (leading: AbortSignal): Promise<void> => {
    // Every controller, informer and worker listens for the end of the term on this one signal.
    setMaxListeners(0, leading);
    factory.start(leading);
    await Promise.all(controllers.map((c) => c.run(leading)));
    await factory.shutdown();
  };
  return runElected({ leaderElect: opts.leaderElect, lease: opts.lease, client, log, signal, onLeaseLost }, runControllers);
}

/**
 * The deployment controller of kube-controller-manager (kubernetes
 * pkg/controller/deployment/deployment_controller.go): Deployments, ReplicaSets and pods come from
 * the shared informers; handlers only turn them into Deployment keys (a ReplicaSet's controller, or
 * for an orphan every Deployment whose selector matches it; a deleted pod of a Recreate rollout);
 * syncDeployment(key) reads the listers, claims ReplicaSets and runs one DeploymentSync. Failures
 * are retried with back-off; a rollout under a progress deadline is looked at again when it passes.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromObject, type LabelSelectorObject } from '../../api/selectors/index.ts';
import {
  finalStateOf, resourceRefs, splitMetaNamespaceKey, type DeletedFinalStateUnknown, type SharedInformerFactory,
} from '../../client/informers/index.ts';
import type { RestClient } from '../../client/rest-client.ts';
import { WorkQueue } from '../../client/workqueue/workqueue.ts';
import { logger } from '../../util/log.ts';
import { runWorkers } from '../controller.ts';
import { newEventRecorder, type EventRecorder } from '../event-recorder.ts';
import { claimReplicaSets, deploymentPath } from './claim-replica-sets.ts';
import { controllerRefOf } from './replica-sets.ts';
import { DeploymentSync } from './sync-deployment.ts';
import { deploymentsRef, replicaSetsRef, type Deployment, type ReplicaSet } from './types.ts';

/** Events' source.component and the logs' controller name. */
export const deploymentControllerName = 'deployment-controller';
const log = logger('kube-controller-manager');

export interface DeploymentControllerDeps {
  client: RestClient;
  /** Informers for deployments, replicasets and pods are taken from it at construction. */
  factory: SharedInformerFactory;
  /** Default: a recorder writing core/v1 Events as `deployment-controller`. */
  recorder?: EventRecorder;
  /** --concurrent-deployment-syncs (default 5). */
  workers?: number;
  now?: () => Date;
}

export function newDeploymentController(deps: DeploymentControllerDeps) {
  const queue = new WorkQueue(5, 1_000_000);
  const { client } = deps;
  const now = deps.now ?? (() => new Date());
  const recorder = deps.recorder ?? newEventRecorder(client, deploymentControllerName, log);
  const deployments = deps.factory.informerFor<Deployment>(deploymentsRef);
  const replicaSets = deps.factory.informerFor<ReplicaSet>(replicaSetsRef);
  const pods = deps.factory.informerFor<Pod>(resourceRefs.pods);

  const keyOf = (d: Deployment) => `${d.metadata?.namespace}/${d.metadata?.name}`;
  const enqueue = (d: Deployment) => queue.add(keyOf(d));

  /** resolveControllerRef: the Deployment a controller reference names, if it is still that one. */
  const ownerOf = (obj: ReplicaSet, namespace: string): Deployment | undefined => {
    const ref = controllerRefOf(obj);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = deployments.lister.get(namespace, ref.name);
    return d?.metadata?.uid === ref.uid ? d : undefined;
  };
  /** getDeploymentsForReplicaSet: Deployments whose (non-empty) selector matches an orphan. */
  const deploymentsSelecting = (rs: ReplicaSet): Deployment[] =>
    deployments.lister.list(rs.metadata?.namespace ?? '').filter((d) => {
      try {
        const selector = labelSelectorFromObject(d.spec?.selector as LabelSelectorObject | undefined);
        return !selector.empty && selector.matches(rs.metadata?.labels);
      } catch {
        return false;
      }
    });
  const onReplicaSet = (rs: ReplicaSet) => {
    const ns = rs.metadata?.namespace ?? '';
    if (controllerRefOf(rs)) { const d = ownerOf(rs, ns); if (d) enqueue(d); return; }
    for (const d of deploymentsSelecting(rs)) enqueue(d);
  };

  deployments.addEventHandler({
    onAdd: enqueue,
    onUpdate: (_old, d) => enqueue(d),
    onDelete: (d) => enqueue(finalStateOf(d)),
  });
  replicaSets.addEventHandler({
    onAdd: onReplicaSet,
    onUpdate: (old, rs) => {
      const oldRef = controllerRefOf(old), newRef = controllerRefOf(rs);
      // A changed controller reference: the former owner must notice it lost the ReplicaSet.
      if (oldRef && oldRef.uid !== newRef?.uid) { const d = ownerOf(old, old.metadata?.namespace ?? ''); if (d) enqueue(d); }
      onReplicaSet(rs);
    },
    onDelete: (obj) => { const rs = finalStateOf(obj); const d = ownerOf(rs, rs.metadata?.namespace ?? ''); if (d) enqueue(d); },
  });
  pods.addEventHandler({
    // deletePod: a Recreate rollout waits for its old pods to be gone.
    onDelete: (obj: Pod | DeletedFinalStateUnknown<Pod>) => {
      const pod = finalStateOf(obj);
      const ref = controllerRefOf(pod);
      if (!ref || ref.kind !== 'ReplicaSet') return;
      const rs = replicaSets.lister.get(pod.metadata?.namespace ?? '', ref.name);
      const d = rs && ownerOf(rs, rs.metadata?.namespace ?? '');
      if (d && d.spec?.strategy?.type === 'Recreate') enqueue(d);
    },
  });

  async function sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = deployments.lister.get(namespace, name);
    if (!cached) return;
    const d = structuredClone(cached);
    const selectorObject = d.spec?.selector as LabelSelectorObject | undefined;
    const selector = labelSelectorFromObject(selectorObject);
    if (selector.empty) {
      recorder.event({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: d.metadata }, 'Warning', 'SelectingAll',
        'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        await client.update(`${deploymentPath(namespace, name)}/status`, { ...d, status: { ...d.status, observedGeneration: d.metadata?.generation } });
      }
      return;
    }
    const rsList = await claimReplicaSets(client, d, selector, replicaSets.lister.list(namespace));
    const podsOfDeployment = () => pods.lister.list(namespace, selector);
    await new DeploymentSync({
      client, recorder, now,
      getReplicaSet: (ns, n) => replicaSets.lister.get(ns, n),
      requeueAfter: (delayMs) => (delayMs <= 0 ? queue.add(key) : queue.addAfter(key, delayMs)),
    }, d, rsList, podsOfDeployment).run();
  }

  return {
    sync,
    /** Waits for the three caches, then works until `signal` aborts; resolves once the workers stopped. */
    async run(signal: AbortSignal): Promise<void> {
      const synced = await Promise.all([deployments.whenSynced(signal), replicaSets.whenSynced(signal), pods.whenSynced(signal)]);
      if (!synced.every(Boolean)) return;
      await runWorkers('deployment', queue, sync, log, deps.workers ?? 5, signal);
    },
  };
}

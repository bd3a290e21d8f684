/**
 * kube-scheduler's run loop (kubernetes cmd/kube-scheduler/app/server.go): one shared informer
 * factory (pods, nodes, namespaces, and the owners the default topology spread reads), one
 * framework per profile, and the scheduling loop, run only while this process holds the Lease
 * kube-system/kube-scheduler when leader election is on; losing the lease exits the process.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { Namespace, Node, Pod, ReplicationController, Service } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import { versionInfo } from '../apiserver/version.ts';
import { buildUserAgent, newSharedInformerFactory, resourceRefs, withUserAgent, type SharedInformerFactory } from '../client/informers/index.ts';
import { runElected } from '../client/leaderelection/index.ts';
import { RestClient } from '../client/rest-client.ts';
import { logger } from '../util/log.ts';
import { newSchedulerClient } from './api-client.ts';
import { SchedulerCache } from './cache/cache.ts';
import { defaultSelectorFor } from './default-selector.ts';
import { newEventRecorder } from './event-recorder.ts';
import type { AnyPlugin, Handle } from './framework/interface.ts';
import { Framework } from './framework/runtime.ts';
import type { SchedulerOptions } from './options.ts';
import { less as prioritySortLess } from './plugins/priority-sort.ts';
import { registry, type PluginDeps } from './plugins/registry.ts';
import { SchedulingQueue } from './queue/scheduling-queue.ts';
import { newEvictor, Scheduler } from './scheduler.ts';

const program = 'kube-scheduler';
const log = logger(program);


/** Everything one leadership term runs, built from the options over `kubeConfig`. */
export function buildScheduler(opts: SchedulerOptions, kubeConfig: KubeConfig, factory: SharedInformerFactory): { scheduler: Scheduler; queue: SchedulingQueue } {
  const client = newSchedulerClient(kubeConfig);
  const pods = factory.informerFor<Pod>(resourceRefs.pods);
  const nodes = factory.informerFor<Node>(resourceRefs.nodes);
  const namespaces = factory.informerFor<Namespace>(resourceRefs.namespaces);
  const cache = new SchedulerCache();
  const recorder = newEventRecorder(client, log);
  const handle: Handle = {
    snapshot: () => cache,
    namespaceLabels: (ns) => namespaces.lister.get('', ns)?.metadata?.labels,
  };
  const profiles = new Map<string, Framework>();
  let queue: SchedulingQueue | undefined;
  const evictor = newEvictor(client, recorder, log);
  for (const spec of opts.config.profiles) {
    let fwk: Framework | undefined;
    const deps: PluginDeps = {
      client,
      preemption: {
        filter: (state, pod, nodeInfo) => fwk!.runFilterPluginsWithNominatedPods(state, pod, nodeInfo),
        nominatedPodsForNode: (n) => queue!.nominatedPodsForNode(n),
        evict: evictor.evict,
        clearNomination: evictor.clearNomination,
      },
      topologySpread: {
        defaultSelector: defaultSelectorFor({
          services: factory.informerFor<Service>(resourceRefs.services).lister,
          replicationControllers: factory.informerFor<ReplicationController>(resourceRefs.replicationcontrollers).lister,
          replicaSets: factory.informerFor<ReplicaSet>(resourceRefs.replicasets).lister,
          statefulSets: factory.informerFor<StatefulSet>(resourceRefs.statefulsets).lister,
        }),
      },
    };
    const plugins: AnyPlugin[] = spec.plugins.map((p) => registry[p.name]!(spec.pluginArgs.get(p.name) ?? {}, deps));
    fwk = new Framework({
      schedulerName: spec.schedulerName,
      plugins,
      scoreWeights: new Map(spec.plugins.filter((p) => p.weight > 0).map((p) => [p.name, p.weight])),
      disabled: spec.disabled,
      percentageOfNodesToScore: spec.percentageOfNodesToScore ?? opts.config.percentageOfNodesToScore,
    }, handle, (n) => queue!.nominatedPodsForNode(n));
    profiles.set(spec.schedulerName, fwk);
  }
  queue = new SchedulingQueue({
    less: prioritySortLess,
    preEnqueue: (pod) => profiles.get(pod.spec?.schedulerName ?? 'default-scheduler')?.preEnqueue(pod) ?? null,
    initialBackoffMs: opts.config.podInitialBackoffSeconds * 1000,
    maxBackoffMs: opts.config.podMaxBackoffSeconds * 1000,
  });
  const scheduler = new Scheduler({ client, cache, queue, profiles, recorder, podLister: pods.lister, log });
  scheduler.addEventHandlers(pods, nodes);
  return { scheduler, queue };
}

/**
 * Runs until `signal` aborts (resolves once everything has stopped). Calls `onLeaseLost` when a
 * leader loses its lease without being asked to stop: the caller exits, as upstream does.
 */
export async function runScheduler(opts: SchedulerOptions, signal: AbortSignal, onLeaseLost: () => void): Promise<void> {
  const userAgent = buildUserAgent(program, versionInfo);
  const loaded = new KubeConfig();
  loaded.loadFromFile(opts.kubeconfig);
  const kubeConfig = withUserAgent(loaded, userAgent);

  const runTerm = async (leading: AbortSignal): Promise<void> => {
    const factory = newSharedInformerFactory(kubeConfig, { userAgent });
    const { scheduler, queue } = buildScheduler(opts, kubeConfig, factory);
    factory.start(leading);
    if (await factory.waitForCacheSync(leading)) {
      log.info('caches synced; scheduling', { profiles: opts.config.profiles.map((p) => p.schedulerName) });
      queue.run(leading);
      await scheduler.run();
    }
    await factory.shutdown();
  };
  return runElected({ leaderElect: opts.leaderElect, lease: opts.lease, client: new RestClient(kubeConfig), log, signal, onLeaseLost }, runTerm);
}

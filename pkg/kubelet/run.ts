/**
 * The fake-kubelet's run loop: N simulated nodes in one process, as kwok runs them. Registers
 * every node, starts the kubelet endpoint (every node advertises 127.0.0.1 and its one port),
 * then one shared pod informer drives the pod manager, whose pods play `stages` (the user's,
 * then the built-in ones); heartbeats run until the signal aborts.
 */
import { randomUUID } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { versionInfo } from '../apiserver/version.ts';
import { buildUserAgent, newSharedInformerFactory, resourceRefs, withUserAgent } from '../client/informers/index.ts';
import { logger } from '../util/log.ts';
import { ApiClient } from './api-client.ts';
import { EventRecorder } from './event-recorder.ts';
import { NodeAgent } from './node/node-agent.ts';
import { allocatableOf, nodeAddress } from './node/node-object.ts';
import { formatCidr, nodeCidr, parseCidr, PodIpAllocator } from './node/pod-cidr.ts';
import { program, type FakeKubeletOptions } from './options.ts';
import { PodManager, type NodeRuntime } from './pod/pod-manager.ts';
import { startKubeletServer, type KubeletServer } from './server/index.ts';
import { servingTls } from './serving-cert.ts';
import { compileStages, kubeletStages, type Stage } from './stages/index.ts';

const log = logger(program);

/** Runs until `signal` aborts; resolves once heartbeats and the informer have stopped. */
export async function runFakeKubelet(opts: FakeKubeletOptions, signal: AbortSignal,
  stages: readonly Stage[] = kubeletStages(opts.stagesFile)): Promise<void> {
  const userAgent = buildUserAgent(program, versionInfo);
  const loaded = new KubeConfig();
  loaded.loadFromFile(opts.kubeconfig);
  const kubeConfig = withUserAgent(loaded, userAgent);
  const client = new ApiClient(kubeConfig, userAgent);
  const events = new EventRecorder(client, log);
  const names = Array.from({ length: opts.nodes }, (_, i) => `${opts.nodeNamePrefix}${i}`);
  const nodes = new Map<string, NodeRuntime>();
  const pods = new PodManager({ client, events, log, nodes, usageFraction: opts.usageFraction, stages: compileStages(stages) });

  const server = await startServer(opts, kubeConfig, names, pods);
  const allocatable = allocatableOf(opts.capacity, opts.kubeReserved);
  const cluster = parseCidr(opts.clusterCidr)!;
  const bootID = randomUUID();
  const agents = names.map((name, i) => new NodeAgent({
    name, zone: opts.zones.length > 0 ? opts.zones[i % opts.zones.length] : undefined,
    labels: opts.labels, taints: opts.taints, podCIDR: formatCidr(nodeCidr(cluster, opts.nodeCidrMaskSize, i)),
    capacity: opts.capacity, allocatable, port: server?.port ?? 0, bootID,
  }, {
    client, events, log,
    timing: { statusUpdateMs: opts.nodeStatusUpdateFrequencyMs, statusReportMs: opts.nodeStatusReportFrequencyMs, leaseDurationSeconds: opts.nodeLeaseDurationSeconds },
  }));
  await Promise.all(agents.map((a) => a.register(signal)));
  const maxPods = Number(allocatable.pods ?? '110');
  for (const agent of agents) {
    const cidr = parseCidr(agent.podCIDR);
    if (!cidr) throw new Error(`node ${agent.name} has pod CIDR ${agent.podCIDR}, not an IPv4 CIDR`);
    nodes.set(agent.name, { name: agent.name, hostIP: nodeAddress, ips: new PodIpAllocator(cidr), maxPods });
  }

  const factory = newSharedInformerFactory(kubeConfig, { userAgent });
  factory.informerFor<Pod>(resourceRefs.pods).addEventHandler(pods.handler());
  factory.start(signal);
  void factory.waitForCacheSync(signal).then((synced) => { if (synced) pods.cachesSynced(); });
  log.info('fake-kubelet running', { nodes: names.length, port: server?.port ?? 0 });

  await Promise.all(agents.map((a) => a.run(signal)));
  pods.stop();
  events.close();
  await factory.shutdown();
  await server?.close();
  client.close();
  log.info('fake-kubelet stopped', { statusWrites: pods.totalWrites });
}

/** The kubelet endpoint; while it cannot start, nodes advertise no port and everything else runs. */
async function startServer(opts: FakeKubeletOptions, kubeConfig: KubeConfig, names: readonly string[], pods: PodManager): Promise<KubeletServer | undefined> {
  try {
    const tls = await servingTls({
      certFile: opts.tlsCertFile, keyFile: opts.tlsPrivateKeyFile, clientCaFile: opts.clientCaFile, kubeConfig, hostNames: names,
    });
    return await startKubeletServer({ host: opts.address, port: opts.port, tls, logs: pods, usage: pods });
  } catch (err) {
    log.warn('kubelet endpoint not started; nodes advertise no port', { error: (err as Error).message });
    return undefined;
  }
}

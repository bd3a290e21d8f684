/** The garbage collector (kube-controller-manager's `garbage-collector-controller`). Public surface of pkg/controllers/garbagecollector. */
export { newGarbageCollector, garbageCollectorControllerName, defaultGCWorkers } from './garbage-collector.ts';
export type { GarbageCollectorDeps } from './garbage-collector.ts';
export { monitoredKinds } from './monitored-kinds.ts';
export type { MonitoredKind } from './monitored-kinds.ts';

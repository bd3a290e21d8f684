/**
 * Which printer serves which resource, keyed "group/plural" (core group ""). Mirrors the
 * TableConvertor each pkg/registry/<group>/<kind>/storage/storage.go wires in upstream; LimitRange
 * and Binding have none there and get the default convertor.
 */
import { cronJobPrinter, jobPrinter } from './batch.ts';
import { certificateSigningRequestPrinter } from './certificates.ts';
import { configMapPrinter, leasePrinter, namespacePrinter, resourceQuotaPrinter, secretPrinter, serviceAccountPrinter } from './core-misc.ts';
import { defaultPrinter, scalePrinter } from './default.ts';
import { eventPrinter } from './event.ts';
import { nodePrinter } from './node.ts';
import { podPrinter } from './pod.ts';
import { priorityClassPrinter, runtimeClassPrinter } from './scheduling-node.ts';
import { clusterRoleBindingPrinter, rolePrinter, roleBindingPrinter } from './rbac.ts';
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './service.ts';
import type { Printer } from './types.ts';
import {
  controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, replicaSetPrinter,
  replicationControllerPrinter, statefulSetPrinter,
} from './workloads.ts';

const printers: ReadonlyMap<string, Printer> = new Map([
  ['/namespaces', namespacePrinter],
  ['/pods', podPrinter],
  ['/bindings', defaultPrinter],
  ['/services', servicePrinter],
  ['/endpoints', endpointsPrinter],
  ['/configmaps', configMapPrinter],
  ['/secrets', secretPrinter],
  ['/serviceaccounts', serviceAccountPrinter],
  ['/nodes', nodePrinter],
  ['/events', eventPrinter],
  ['/replicationcontrollers', replicationControllerPrinter],
  ['/limitranges', defaultPrinter],
  ['/resourcequotas', resourceQuotaPrinter],
  ['apps/deployments', deploymentPrinter],
  ['apps/replicasets', replicaSetPrinter],
  ['apps/statefulsets', statefulSetPrinter],
  ['apps/daemonsets', daemonSetPrinter],
  ['apps/controllerrevisions', controllerRevisionPrinter],
  ['batch/jobs', jobPrinter],
  ['batch/cronjobs', cronJobPrinter],
  ['certificates.k8s.io/certificatesigningrequests', certificateSigningRequestPrinter],
  ['coordination.k8s.io/leases', leasePrinter],
  ['discovery.k8s.io/endpointslices', endpointSlicePrinter],
  ['events.k8s.io/events', eventPrinter],
  ['scheduling.k8s.io/priorityclasses', priorityClassPrinter],
  ['node.k8s.io/runtimeclasses', runtimeClassPrinter],
  ['rbac.authorization.k8s.io/clusterrolebindings', clusterRoleBindingPrinter],
  ['rbac.authorization.k8s.io/clusterroles', rolePrinter],
  ['rbac.authorization.k8s.io/rolebindings', roleBindingPrinter],
  ['rbac.authorization.k8s.io/roles', rolePrinter],
]);

/**
 * The printer for a resource, or for "plural/subresource": /scale prints Scale objects, any other
 * subresource (status) prints the parent kind. Unknown resources get the default convertor.
 */
export function printerFor(group: string, plural: string): Printer {
  const [resource = '', subresource] = plural.split('/');
  if (subresource === 'scale') return scalePrinter;
  return printers.get(`${group}/${resource}`) ?? defaultPrinter;
}

/** True when a dedicated (non-default) printer is registered; for tests and diagnostics. */
export function hasDedicatedPrinter(group: string, plural: string): boolean {
  return printers.has(`${group}/${plural}`) && printers.get(`${group}/${plural}`) !== defaultPrinter;
}

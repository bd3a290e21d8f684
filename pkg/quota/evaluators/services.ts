/**
 * Services (pkg/quota/v1/evaluator/core/services.go): every service counts once; NodePort and
 * LoadBalancer services count their node ports, LoadBalancers count as load balancers. Updates
 * charge too, since a type change can consume node ports or a load balancer.
 */
import type { Service } from 'kubernetes-types/core/v1.js';
import { quantity, type ResourceList } from '../quantity.ts';
import type { Evaluator, QuotaObject } from '../types.ts';

const serviceResources = ['services', 'count/services', 'services.nodeports', 'services.loadbalancers'];

function spec(obj: QuotaObject): NonNullable<Service['spec']> {
  return (obj.spec ?? {}) as NonNullable<Service['spec']>;
}

/** GetQuotaServiceType: the type as quota sees it (ClusterIP for anything else). */
export function quotaServiceType(obj: QuotaObject): string {
  const type = spec(obj).type;
  return type === 'NodePort' || type === 'LoadBalancer' ? type : 'ClusterIP';
}

export const servicesEvaluator: Evaluator = {
  groupResource: { group: '', resource: 'services' },
  handles: (op) => op === 'CREATE' || op === 'UPDATE',
  matchingResources: (input) => [...input].filter((n) => serviceResources.includes(n)),
  matchesScope: () => false,
  constraints: () => undefined,
  usage(obj): ResourceList {
    const s = spec(obj);
    const ports = s.ports ?? [];
    const used: ResourceList = new Map([
      ['count/services', quantity(1)], ['services', quantity(1)],
      ['services.loadbalancers', quantity(0)], ['services.nodeports', quantity(0)],
    ]);
    const type = quotaServiceType(obj);
    if (type === 'NodePort') used.set('services.nodeports', quantity(ports.length));
    if (type === 'LoadBalancer') {
      // With node port allocation turned off only ports that ask for one explicitly count.
      const nodePorts = s.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p.nodePort).length : ports.length;
      used.set('services.nodeports', quantity(nodePorts));
      used.set('services.loadbalancers', quantity(1));
    }
    return used;
  },
  updateReleases: (oldObj, newObj) => quotaServiceType(oldObj) !== quotaServiceType(newObj),
};

/**
 * The kubelet's own admission of a pod bound to its node (pkg/kubelet/lifecycle/predicate.go,
 * which reruns the scheduler's NodePorts check and its pod count check): a host port already in
 * use by an admitted pod, or no room for one more pod, rejects it with the kubelet's reason and
 * message (PredicateFailureError: "Predicate NodePorts failed"). Pure.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';

export type Verdict = { ok: true } | { ok: false; reason: string; message: string };

interface HostPort { ip: string; protocol: string; port: number }

function hostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  return out;
}

/** Two host ports clash on the same port and protocol when either listens on every address or both on the same one. */
function clash(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');
}

export function admit(pod: Pod, admitted: readonly Pod[], maxPods: number): Verdict {
  if (admitted.length + 1 > maxPods) {
    return { ok: false, reason: 'OutOfpods', message: `Node didn't have enough resource: pods, requested: 1, used: ${admitted.length}, capacity: ${maxPods}` };
  }
  const wanted = hostPorts(pod);
  if (wanted.length > 0) {
    const used = admitted.flatMap(hostPorts);
    if (wanted.some((w) => used.some((u) => clash(w, u)))) {
      return { ok: false, reason: 'NodePorts', message: 'Predicate NodePorts failed' };
    }
  }
  return { ok: true };
}

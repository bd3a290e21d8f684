/**
 * DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): a pod that does not
 * tolerate the not-ready / unreachable NoExecute taints gets tolerations for them bounded to 300 s,
 * so the node lifecycle controller evicts it five minutes after its node goes away.
 */
import type { PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import type { AdmissionPlugin } from '../types.ts';
import { isCoreResource } from './forbidden.ts';

export const taintNodeNotReady = 'node.kubernetes.io/not-ready';
export const taintNodeUnreachable = 'node.kubernetes.io/unreachable';

export interface DefaultTolerationSecondsOptions {
  /** --default-not-ready-toleration-seconds */
  notReadySeconds?: number;
  /** --default-unreachable-toleration-seconds */
  unreachableSeconds?: number;
}

/** An empty key (with Exists) or an empty effect already covers the taint. */
function tolerates(tolerations: readonly Toleration[], key: string): boolean {
  return tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

export function defaultTolerationSeconds(opts: DefaultTolerationSecondsOptions = {}): AdmissionPlugin {
  const notReady = opts.notReadySeconds ?? 300;
  const unreachable = opts.unreachableSeconds ?? 300;
  return {
    name: 'DefaultTolerationSeconds',
    operations: ['CREATE', 'UPDATE'],
    admit(a) {
      if (!isCoreResource(a, 'pods') || !a.object) return;
      const spec = (a.object.spec ??= {}) as PodSpec;
      const current = spec.tolerations ?? [];
      const add: Toleration[] = [];
      if (!tolerates(current, taintNodeNotReady)) {
        add.push({ key: taintNodeNotReady, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: notReady });
      }
      if (!tolerates(current, taintNodeUnreachable)) {
        add.push({ key: taintNodeUnreachable, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: unreachable });
      }
      if (add.length > 0) spec.tolerations = [...current, ...add];
    },
  };
}

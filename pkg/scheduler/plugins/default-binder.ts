/**
 * DefaultBinder (Bind): POST pods/<name>/binding naming the node, after kubernetes
 * pkg/scheduler/framework/plugins/defaultbinder/default_binder.go.
 */
import type { AnyPlugin } from '../framework/interface.ts';
import { newStatus } from '../framework/status.ts';
import { podPath, type SchedulerClient } from '../api-client.ts';

export const name = 'DefaultBinder';

export function newDefaultBinder(client: SchedulerClient): AnyPlugin {
  return {
    name,
    async bind(_state, pod, nodeName) {
      const ns = pod.metadata?.namespace ?? '';
      const podName = pod.metadata?.name ?? '';
      try {
        await client.request('POST', `${podPath(ns, podName)}/binding`, {
          apiVersion: 'v1', kind: 'Binding',
          metadata: { name: podName, namespace: ns, uid: pod.metadata?.uid },
          target: { kind: 'Node', name: nodeName },
        });
        return null;
      } catch (err) {
        return newStatus('Error', (err as Error).message);
      }
    },
  };
}

/**
 * Conformance: kubernetes/kubernetes test/e2e/common/node/runtimeclass.go ("[sig-node] RuntimeClass"),
 * "should schedule a Pod requesting a RuntimeClass without PodOverhead" (bound, no overhead) and
 * "... and initialize its Overhead" (bound, with the RuntimeClass's podFixed overhead). (The admission rows live in runtimeclass.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { CoreV1Api, NodeV1Api, type V1Pod } from '@kubernetes/client-node';
import { newFramework, poll } from '../framework.ts';
import { images, podComponents, podStartTimeoutMs } from '../pod-helpers.ts';

const f = newFramework('runtimeclass', { components: podComponents });

// e2eruntimeclass.PreconfiguredRuntimeClassHandler
const preconfiguredRuntimeClassHandler = 'test-handler';

/** e2eruntimeclass.NewRuntimeClassPod */
function newRuntimeClassPod(runtimeClassName: string): V1Pod {
  return {
    metadata: { generateName: 'test-runtimeclass-' },
    spec: {
      runtimeClassName, restartPolicy: 'Never', automountServiceAccountToken: false,
      containers: [{ name: 'test', image: images.busyBox, command: ['true'] }],
    },
  };
}

/** createRuntimeClass: a "namespaced" name with the preconfigured handler. */
async function createRuntimeClass(overhead?: { podFixed: Record<string, string> }): Promise<string> {
  const rc = await f.kc.makeApiClient(NodeV1Api).createRuntimeClass({
    body: { metadata: { name: `${f.namespace}-preconfigured-handler` }, handler: preconfiguredRuntimeClassHandler, overhead },
  });
  return rc.metadata!.name!;
}

/** Creates the pod, waits until every pod of the namespace (only this one) is scheduled, returns it. */
async function scheduledRuntimeClassPod(rcName: string): Promise<V1Pod> {
  const core = f.kc.makeApiClient(CoreV1Api);
  const pod = await core.createNamespacedPod({ namespace: f.namespace, body: newRuntimeClassPod(rcName) });
  // there is only one pod in the namespace: e2epod.WaitForPodsWithLabelScheduled with an empty selector
  const pods = await poll('the pods of the namespace to be scheduled', async () => {
    const list = await core.listNamespacedPod({ namespace: f.namespace });
    return list.items.length > 0 && list.items.every((p) => (p.spec?.nodeName ?? '') !== '') ? list : undefined;
  }, podStartTimeoutMs);
  expect(pods.items).toHaveLength(1);
  const scheduledPod = pods.items[0]!;
  expect(scheduledPod.metadata?.name).toBe(pod.metadata?.name);
  return scheduledPod;
}

describe('[sig-node] RuntimeClass', () => {
  it('Can schedule a pod requesting existing RuntimeClass.', async () => {
    const rcName = await createRuntimeClass();
    try {
      const scheduledPod = await scheduledRuntimeClassPod(rcName);
      // Overhead should not be set
      expect(scheduledPod.spec?.overhead ?? {}).toEqual({});
    } finally {
      // DeferCleanup(deleteRuntimeClass)
      await f.kc.makeApiClient(NodeV1Api).deleteRuntimeClass({ name: rcName });
    }
  });

  it('RuntimeClass Overhead field must be respected.', async () => {
    const rcName = await createRuntimeClass({ podFixed: { cpu: '10m', memory: '1Mi' } });
    try {
      const scheduledPod = await scheduledRuntimeClassPod(rcName);
      expect(scheduledPod.spec?.overhead).toEqual({ cpu: '10m', memory: '1Mi' });
    } finally {
      await f.kc.makeApiClient(NodeV1Api).deleteRuntimeClass({ name: rcName });
    }
  });
});

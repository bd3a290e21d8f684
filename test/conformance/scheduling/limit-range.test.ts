/**
 * Conformance: kubernetes/kubernetes test/e2e/scheduling/limit_range.go ("[sig-scheduling] LimitRange"),
 * "should create a LimitRange with defaults and ensure pod has those defaults applied."
 */
import { describe, expect, it } from 'vitest';
import { CoreV1Api, Watch, type V1LimitRange, type V1Pod, type V1ResourceRequirements } from '@kubernetes/client-node';
import { newFramework, poll } from '../framework.ts';
import { parseQuantityNano } from '../../../pkg/registry/validation/index.ts';

const f = newFramework('limitrange');

type ResourceList = Record<string, string>;

function resourceList(cpu: string, memory: string, ephemeralStorage: string): ResourceList {
  const res: ResourceList = {};
  if (cpu) res.cpu = cpu;
  if (memory) res.memory = memory;
  if (ephemeralStorage) res['ephemeral-storage'] = ephemeralStorage;
  return res;
}

/** equalResourceList: the same names with equal quantities (Cmp, not text). */
function expectEqualResources(expected: ResourceList, actual: Record<string, string> | undefined): void {
  const got = actual ?? {};
  expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
  for (const [k, v] of Object.entries(expected)) expect(parseQuantityNano(got[k]), `resource ${k}`).toBe(parseQuantityNano(v));
}

function expectRequirements(expected: { requests: ResourceList; limits: ResourceList }, actual: V1ResourceRequirements | undefined): void {
  expectEqualResources(expected.requests, actual?.requests);
  expectEqualResources(expected.limits, actual?.limits);
}

function testPod(name: string, requests: ResourceList, limits: ResourceList): V1Pod {
  return { metadata: { name }, spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests, limits } }] } };
}

describe('[sig-scheduling] LimitRange', () => {
  it('LimitRange, resources', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const namespace = f.namespace;
    const podName = 'pod-no-resources-fail';

    // Creating a LimitRange
    const min = resourceList('50m', '100Mi', '100Gi');
    const max = resourceList('500m', '500Mi', '500Gi');
    const defaultLimit = resourceList('500m', '500Mi', '500Gi');
    const defaultRequest = resourceList('100m', '200Mi', '200Gi');
    const value = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const body: V1LimitRange = {
      metadata: { name: 'limit-range', labels: { time: value } },
      spec: { limits: [{ type: 'Container', min, max, _default: defaultLimit, defaultRequest, maxLimitRequestRatio: {} }] },
    };

    // Setting up watch
    const selector = `time=${value}`;
    const before = await core.listNamespacedLimitRange({ namespace, labelSelector: selector });
    expect(before.items).toHaveLength(0);
    const events: string[] = [];
    const controller = await new Watch(f.kc).watch(`/api/v1/namespaces/${namespace}/limitranges`,
      { labelSelector: selector, resourceVersion: before.metadata?.resourceVersion }, (type) => { events.push(type); }, () => undefined);
    try {
      // Submitting a LimitRange
      let limitRange = await core.createNamespacedLimitRange({ namespace, body });

      // Verifying LimitRange creation was observed
      const first = await poll('the LimitRange ADDED event', async () => events[0]);
      expect(first, 'Failed to observe limitRange creation').toBe('ADDED');

      // Fetching the LimitRange to ensure it has proper values
      limitRange = await core.readNamespacedLimitRange({ name: limitRange.metadata!.name!, namespace });
      let expected = { requests: defaultRequest, limits: defaultLimit };
      const item = limitRange.spec!.limits[0]!;
      expectRequirements(expected, { requests: item.defaultRequest, limits: item._default });

      // Creating a Pod with no resource requirements
      let pod = await core.createNamespacedPod({ namespace, body: testPod('pod-no-resources', {}, {}) });

      // Ensuring Pod has resource requirements applied from LimitRange
      pod = await core.readNamespacedPod({ name: pod.metadata!.name!, namespace });
      for (const c of pod.spec!.containers) expectRequirements(expected, c.resources);

      // Creating a Pod with partial resource requirements
      pod = await core.createNamespacedPod({ namespace, body: testPod('pod-partial-resources', resourceList('', '150Mi', '150Gi'), resourceList('300m', '', '')) });

      // Ensuring Pod has merged resource requirements applied from LimitRange: a limit without a
      // request defaults the request, so defaultRequest only applies where no limit was given.
      pod = await core.readNamespacedPod({ name: pod.metadata!.name!, namespace });
      expected = { requests: resourceList('300m', '150Mi', '150Gi'), limits: resourceList('300m', '500Mi', '500Gi') };
      for (const c of pod.spec!.containers) expectRequirements(expected, c.resources);

      // Failing to create a Pod with less than min resources
      await expect(core.createNamespacedPod({ namespace, body: testPod(podName, resourceList('10m', '50Mi', '50Gi'), {}) }))
        .rejects.toMatchObject({ code: 403 });

      // Failing to create a Pod with more than max resources
      await expect(core.createNamespacedPod({ namespace, body: testPod(podName, resourceList('600m', '600Mi', '600Gi'), {}) }))
        .rejects.toMatchObject({ code: expect.any(Number) as number });

      // Updating a LimitRange
      const newMin = resourceList('9m', '49Mi', '49Gi');
      limitRange.spec!.limits[0]!.min = newMin;
      limitRange = await core.replaceNamespacedLimitRange({ name: limitRange.metadata!.name!, namespace, body: limitRange });

      // Verifying LimitRange updating is effective
      await poll('the new min', async () => {
        const lr = await core.readNamespacedLimitRange({ name: 'limit-range', namespace });
        const got = lr.spec!.limits[0]!.min ?? {};
        return Object.keys(newMin).every((k) => parseQuantityNano(got[k]) === parseQuantityNano(newMin[k])) ? true : undefined;
      }, 20_000);

      // Creating a Pod with less than former min resources
      await core.createNamespacedPod({ namespace, body: testPod(podName, resourceList('10m', '50Mi', '50Gi'), {}) });

      // Failing to create a Pod with more than max resources
      await expect(core.createNamespacedPod({ namespace, body: testPod(podName, resourceList('600m', '600Mi', '600Gi'), {}) }))
        .rejects.toMatchObject({ code: expect.any(Number) as number });

      // Deleting a LimitRange
      await core.deleteNamespacedLimitRange({ name: 'limit-range', namespace, gracePeriodSeconds: 30 });

      // Verifying the LimitRange was deleted
      await poll('the LimitRange deletion', async () => {
        const list = await core.listNamespacedLimitRange({ namespace, labelSelector: 'name=limit-range' });
        return list.items.length === 0 || list.items[0]!.metadata?.deletionTimestamp ? true : undefined;
      });

      // Creating a Pod with more than former max resources
      await core.createNamespacedPod({ namespace, body: testPod(`${podName}2`, resourceList('600m', '600Mi', '600Gi'), {}) });
    } finally {
      controller.abort();
    }
  });
});

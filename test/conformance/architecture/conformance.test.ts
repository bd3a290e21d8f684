/**
 * Conformance: kubernetes/kubernetes test/e2e/architecture/conformance.go ("[sig-architecture]
 * Conformance Tests"): the cluster has at least two Ready, schedulable, untainted nodes, here the
 * fake-kubelet's simulated nodes.
 */
import { describe, expect, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { newFramework, poll } from '../framework.ts';
import { isReadySchedulableUntainted, readySchedulableNodes } from '../node-helpers.ts';
import { podComponents } from '../pod-helpers.ts';

const f = newFramework('conformance-tests', { components: podComponents });

describe('[sig-architecture] Conformance Tests', () => {
  it('Conformance tests minimum number of nodes.', async () => {
    // Getting node addresses: e2enode.WaitForAllNodesSchedulable (10 minutes upstream)
    await poll('all nodes schedulable', async () => {
      const nodes = (await f.kc.makeApiClient(CoreV1Api).listNode()).items;
      return nodes.length > 0 && nodes.every(isReadySchedulableUntainted) ? true : undefined;
    }, 120_000);
    const nodeList = await readySchedulableNodes(f.kc);
    expect(nodeList.length, 'Conformance requires at least two nodes').toBeGreaterThanOrEqual(2);
  }, 150_000);
});

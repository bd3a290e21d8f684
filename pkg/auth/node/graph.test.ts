import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { NodeGraph } from './graph.ts';

const pod = (name: string, nodeName: string, extra: Partial<NonNullable<Pod['spec']>> = {}, annotations?: Record<string, string>): Pod => ({
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, annotations },
  spec: {
    nodeName, serviceAccountName: 'sa',
    containers: [{ name: 'c', image: 'x', env: [{ name: 'E', valueFrom: { configMapKeyRef: { name: 'env-cm', key: 'k' } } }] }],
    volumes: [
      { name: 's', secret: { secretName: 'vol-secret' } },
      { name: 'p', projected: { sources: [{ configMap: { name: 'kube-root-ca.crt' } }] } },
      { name: 'c', persistentVolumeClaim: { claimName: 'data' } },
      { name: 'e', ephemeral: {} },
    ],
    imagePullSecrets: [{ name: 'pull' }],
    ...extra,
  },
});

describe('NodeGraph', () => {
  it('relates everything a bound pod names to its node, and nothing to other nodes', () => {
    const g = new NodeGraph();
    g.addPod(pod('p1', 'n1'));
    for (const [type, name] of [['secret', 'vol-secret'], ['secret', 'pull'], ['configmap', 'env-cm'], ['configmap', 'kube-root-ca.crt'],
      ['pvc', 'data'], ['pvc', 'p1-e'], ['serviceAccount', 'sa'], ['pod', 'p1']] as const) {
      expect(g.hasPathFrom('n1', type, 'ns', name), `${type} ${name}`).toEqual({ ok: true });
    }
    g.addPod(pod('other', 'n2', { volumes: [{ name: 's', secret: { secretName: 'n2-only' } }] }));
    expect(g.hasPathFrom('n1', 'secret', 'ns', 'n2-only')).toEqual({
      ok: false, why: "node 'n1' cannot get secret ns/n2-only, no relationship to this object was found in the node authorizer graph",
    });
    expect(g.hasPathFrom('n1', 'secret', 'other-ns', 'vol-secret').why).toBe("node 'n1' cannot get unknown secret other-ns/vol-secret");
    expect(g.hasPathFrom('n3', 'secret', 'ns', 'vol-secret').why).toBe("unknown node 'n3' cannot get secret ns/vol-secret");
  });

  it('keeps a shared object related while any pod on the node uses it, and drops orphans', () => {
    const g = new NodeGraph();
    g.addPod(pod('a', 'n1'));
    g.addPod(pod('b', 'n1'));
    g.deletePod('ns', 'a');
    expect(g.hasPathFrom('n1', 'configmap', 'ns', 'kube-root-ca.crt').ok).toBe(true);
    expect(g.hasPathFrom('n1', 'pvc', 'ns', 'a-e').ok).toBe(false);
    g.deletePod('ns', 'b');
    expect(g.size).toBe(0);
  });

  it('replaces a pod\'s edges when it is added again', () => {
    const g = new NodeGraph();
    g.addPod(pod('a', 'n1'));
    g.addPod(pod('a', 'n1', { volumes: [], imagePullSecrets: [] }));
    expect(g.hasPathFrom('n1', 'secret', 'ns', 'vol-secret').ok).toBe(false);
    expect(g.hasPathFrom('n1', 'serviceAccount', 'ns', 'sa').ok).toBe(true);
  });

  it('gives a mirror pod its node but nothing it names', () => {
    const g = new NodeGraph();
    g.addPod(pod('m', 'n1', {}, { 'kubernetes.io/config.mirror': 'hash' }));
    expect(g.hasPathFrom('n1', 'pod', 'ns', 'm').ok).toBe(true);
    expect(g.hasPathFrom('n1', 'secret', 'ns', 'vol-secret').ok).toBe(false);
    expect(g.hasPathFrom('n1', 'serviceAccount', 'ns', 'sa').ok).toBe(false);
  });

  it('ignores pods that are not bound', () => {
    const g = new NodeGraph();
    g.addPod(pod('u', ''));
    expect(g.size).toBe(0);
  });

  it('answers fast for an object shared by many pods on many nodes', () => {
    const g = new NodeGraph();
    for (let i = 0; i < 20_000; i++) g.addPod(pod(`p${i}`, `n${i % 1000}`, { volumes: [{ name: 'p', configMap: { name: 'shared' } }] }));
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) expect(g.hasPathFrom(`n${i}`, 'configmap', 'ns', 'shared').ok).toBe(true);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});

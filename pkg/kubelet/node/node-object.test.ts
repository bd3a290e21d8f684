import { describe, expect, it } from 'vitest';
import { allocatableOf, initialNode, nodeStatus, statusChanged, type NodeIdentity } from './node-object.ts';

const id: NodeIdentity = {
  name: 'fake-node-1', zone: 'zone-b', labels: { team: 'a' }, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }],
  podCIDR: '10.244.1.0/24', capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
  port: 10250, bootID: 'boot',
};

describe('node object', () => {
  it('registers with the kubelet labels, the zone, taints and the pod CIDR', () => {
    const node = initialNode(id, new Date('2025-01-01T00:00:00.123Z'));
    expect(node.metadata?.labels).toEqual({
      team: 'a', 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': 'fake-node-1', 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': 'zone-b',
    });
    expect(node.spec).toEqual({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] });
    const status = node.status!;
    expect(status.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ]);
    expect(status.conditions?.[0]?.lastHeartbeatTime).toBe('2025-01-01T00:00:00Z');
    expect(status.addresses).toEqual([{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'fake-node-1' }]);
    expect(status.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
    expect(status.nodeInfo?.kubeletVersion).toBe('v1.32.0');
    expect(status.nodeInfo?.systemUUID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('keeps transition times, moves heartbeats, and sees no change in heartbeats alone', () => {
    const first = nodeStatus(id, undefined, new Date('2025-01-01T00:00:00Z'));
    const later = nodeStatus(id, first, new Date('2025-01-01T00:00:10Z'));
    expect(later.conditions?.[3]?.lastTransitionTime).toBe('2025-01-01T00:00:00Z');
    expect(later.conditions?.[3]?.lastHeartbeatTime).toBe('2025-01-01T00:00:10Z');
    expect(statusChanged(first, later)).toBe(false);
    expect(statusChanged(first, nodeStatus({ ...id, port: 1 }, first, new Date()))).toBe(true);
    expect(statusChanged(undefined, later)).toBe(true);
  });

  it.each([
    [{ cpu: '4', memory: '8Gi' }, {}, { cpu: '4', memory: '8Gi' }],
    [{ cpu: '4', memory: '8Gi', pods: '110' }, { cpu: '500m', memory: '1Gi' }, { cpu: '3500m', memory: '7516192768', pods: '110' }],
    [{ cpu: '1' }, { cpu: '2' }, { cpu: '0' }],
  ])('allocatable of %j minus %j is %j', (capacity, reserved, want) => {
    expect(allocatableOf(capacity, reserved)).toEqual(want);
  });
});

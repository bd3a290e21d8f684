/**
 * What a simulated node registers and reports, after the kubelet's nodestatus setters
 * (pkg/kubelet/nodestatus/setters.go) and initialNode (pkg/kubelet/kubelet_node_status.go): the
 * well-known labels, capacity and allocatable, the four conditions with the kubelet's reasons and
 * messages, addresses, nodeInfo and the daemon endpoint. Pure: the node agent does the I/O.
 */
import { createHash } from 'node:crypto';
import type { Node, NodeCondition, NodeStatus, Taint } from 'kubernetes-types/core/v1.js';
import { parseQuantityNano } from '../../registry/validation/index.ts';

export const kubeletVersion = 'v1.32.0';
export const containerRuntimeVersion = 'containerd://1.7.24';
export const zoneLabel = 'topology.kubernetes.io/zone';
/** The address every simulated node advertises (one process serves them all, as with kwok). */
export const nodeAddress = '127.0.0.1';

export interface NodeIdentity {
  name: string;
  zone?: string;
  labels: Record<string, string>;
  taints: readonly Taint[];
  podCIDR: string;
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  /** The kubelet endpoint's port (0 while there is none). */
  port: number;
  /** Changes each time the process starts, as a machine's boot id does on reboot. */
  bootID: string;
}

/** The kubelet's own labels (kubelet_node_status.go initialNode, plus the zone) over the extra ones. */
export function nodeLabels(id: NodeIdentity): Record<string, string> {
  return {
    ...id.labels,
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': id.name,
    'kubernetes.io/os': 'linux',
    ...(id.zone ? { [zoneLabel]: id.zone } : {}),
  };
}

/** The Node the kubelet creates on first registration. */
export function initialNode(id: NodeIdentity, now: Date): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: id.name,
      labels: nodeLabels(id),
      annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: {
      podCIDR: id.podCIDR,
      podCIDRs: [id.podCIDR],
      ...(id.taints.length > 0 ? { taints: id.taints.map((t) => ({ ...t })) } : {}),
    },
    status: nodeStatus(id, undefined, now),
  };
}

/** The kubelet's condition reasons and messages when the node is healthy (setters.go). */
const healthyConditions: readonly Pick<NodeCondition, 'type' | 'status' | 'reason' | 'message'>[] = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

/** A stable hex id from the node name, so a restarted process reports the same machine. */
function stableId(name: string, salt: string): string {
  return createHash('sha256').update(`${salt}/${name}`).digest('hex').slice(0, 32);
}

function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The status the kubelet reports now. Conditions keep their lastTransitionTime from `previous`
 * when their status did not change; lastHeartbeatTime is `now`.
 */
export function nodeStatus(id: NodeIdentity, previous: NodeStatus | undefined, now: Date): NodeStatus {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z');
  const conditions = healthyConditions.map((c): NodeCondition => {
    const old = previous?.conditions?.find((p) => p.type === c.type);
    const lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : stamp;
    return { ...c, lastHeartbeatTime: stamp, lastTransitionTime };
  });
  return {
    capacity: { ...id.capacity },
    allocatable: { ...id.allocatable },
    conditions,
    addresses: [{ type: 'InternalIP', address: nodeAddress }, { type: 'Hostname', address: id.name }],
    daemonEndpoints: { kubeletEndpoint: { Port: id.port } },
    nodeInfo: {
      machineID: stableId(id.name, 'machine'),
      systemUUID: uuidOf(stableId(id.name, 'system')),
      bootID: id.bootID,
      kernelVersion: '6.8.0-fake',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      containerRuntimeVersion,
      kubeletVersion,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

/** True when two statuses differ in anything but the heartbeat times (what forces a write). */
export function statusChanged(a: NodeStatus | undefined, b: NodeStatus): boolean {
  if (!a) return true;
  const strip = (s: NodeStatus) => JSON.stringify({ ...s, conditions: s.conditions?.map(({ lastHeartbeatTime: _h, ...rest }) => rest) });
  return strip(a) !== strip(b);
}

/** capacity - reserved, per resource (kubelet --kube-reserved); a resource never goes below zero. */
export function allocatableOf(capacity: Record<string, string>, reserved: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, q] of Object.entries(capacity)) {
    const r = reserved[name];
    if (r === undefined) {
      out[name] = q;
      continue;
    }
    let left = (parseQuantityNano(q) ?? 0n) - (parseQuantityNano(r) ?? 0n);
    if (left < 0n) left = 0n;
    out[name] = formatNano(left, name === 'cpu');
  }
  return out;
}

function formatNano(nano: bigint, milli: boolean): string {
  if (milli) return nano % 1_000_000_000n === 0n ? String(nano / 1_000_000_000n) : `${nano / 1_000_000n}m`;
  return String(nano / 1_000_000_000n);
}

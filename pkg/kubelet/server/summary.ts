/**
 * The kubelet's Summary API document (`GET /stats/summary`, k8s.io/kubelet/pkg/apis/stats/v1alpha1
 * types.go) built from a simulated node's usage: node CPU and memory, then each pod with its
 * containers. Only the fields a simulation can honestly fill are present; the real API makes every
 * other stat optional (cumulative CPU time, filesystems, network, swap).
 */
import type { NodeUsage } from './sources.ts';

export interface CpuStats {
  time: string;
  usageNanoCores: number;
}

export interface MemoryStats {
  time: string;
  workingSetBytes: number;
  usageBytes: number;
}

export interface ContainerStats {
  name: string;
  cpu: CpuStats;
  memory: MemoryStats;
}

export interface PodStats {
  podRef: { name: string; namespace: string; uid: string };
  containers: ContainerStats[];
  cpu: CpuStats;
  memory: MemoryStats;
}

export interface Summary {
  node: { nodeName: string; systemContainers: ContainerStats[]; cpu: CpuStats; memory: MemoryStats };
  pods: PodStats[];
}

function cpu(time: string, usageNanoCores: number): CpuStats {
  return { time, usageNanoCores: Math.round(usageNanoCores) };
}

function memory(time: string, workingSetBytes: number): MemoryStats {
  const bytes = Math.round(workingSetBytes);
  return { time, workingSetBytes: bytes, usageBytes: bytes };
}

export function summaryOf(usage: NodeUsage, now: Date): Summary {
  const time = now.toISOString();
  return {
    node: {
      nodeName: usage.nodeName,
      systemContainers: [],
      cpu: cpu(time, usage.usageNanoCores),
      memory: memory(time, usage.workingSetBytes),
    },
    pods: usage.pods.map((p) => ({
      podRef: { name: p.name, namespace: p.namespace, uid: p.uid },
      containers: p.containers.map((c) => ({ name: c.name, cpu: cpu(time, c.usageNanoCores), memory: memory(time, c.workingSetBytes) })),
      cpu: cpu(time, p.containers.reduce((sum, c) => sum + c.usageNanoCores, 0)),
      memory: memory(time, p.containers.reduce((sum, c) => sum + c.workingSetBytes, 0)),
    })),
  };
}

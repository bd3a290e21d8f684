import { join } from 'node:path';

/** The two loopback ports one etcd member listens on. */
export interface MemberPorts {
  client: number;
  peer: number;
}

/** One member of a local cluster: its name is also its data directory name. */
export interface MemberLayout extends MemberPorts {
  name: string;
}

/**
 * What must stay the same across restarts of a cluster whose data is kept:
 * etcd stores member names and peer URLs in its data, so a restart on other
 * ports or names would not rejoin. Persisted as JSON beside the data.
 */
export interface ClusterLayout {
  token: string;
  members: MemberLayout[];
}

/** Whether the members bootstrap a new cluster or restart from their data. */
export type ClusterState = 'new' | 'existing';

/** Builds a layout for `ports.length` members named etcd-0, etcd-1, … */
export function newLayout(ports: readonly MemberPorts[], token: string): ClusterLayout {
  return { token, members: ports.map((p, i) => ({ name: `etcd-${i}`, client: p.client, peer: p.peer })) };
}

/** Pairs a flat list of 2n ports into n members' (client, peer) ports. */
export function pairPorts(ports: readonly number[]): MemberPorts[] {
  const pairs: MemberPorts[] = [];
  for (let i = 0; i + 1 < ports.length; i += 2) pairs.push({ client: ports[i]!, peer: ports[i + 1]! });
  return pairs;
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536;
}

/** Parses a persisted layout; throws an Error naming what is wrong. */
export function parseLayout(text: string): ClusterLayout {
  const raw: unknown = JSON.parse(text);
  if (typeof raw !== 'object' || raw === null) throw new Error('cluster layout is not a JSON object');
  const { token, members } = raw as { token?: unknown; members?: unknown };
  if (typeof token !== 'string' || token === '') throw new Error('cluster layout has no token');
  if (!Array.isArray(members) || members.length === 0) throw new Error('cluster layout has no members');
  const parsed = members.map((m: unknown, i): MemberLayout => {
    const { name, client, peer } = (m ?? {}) as { name?: unknown; client?: unknown; peer?: unknown };
    if (typeof name !== 'string' || !/^[a-z0-9-]+$/.test(name) || !isPort(client) || !isPort(peer)) {
      throw new Error(`cluster layout member ${i} is invalid`);
    }
    return { name, client, peer };
  });
  return { token, members: parsed };
}

/** The JSON text written beside the data. */
export function formatLayout(layout: ClusterLayout): string {
  return `${JSON.stringify(layout, null, 2)}\n`;
}

export const clientUrl = (m: MemberPorts): string => `http://127.0.0.1:${m.client}`;
export const peerUrl = (m: MemberPorts): string => `http://127.0.0.1:${m.peer}`;

/** The `--initial-cluster` value: name=peerURL for every member. */
export function initialCluster(layout: ClusterLayout): string {
  return layout.members.map((m) => `${m.name}=${peerUrl(m)}`).join(',');
}

/**
 * The etcd command line for one member. With existing data etcd ignores the
 * initial-cluster flags, but they must still name the same members, and the
 * state says `existing` so a member never tries to bootstrap a second cluster.
 */
export function memberArgs(layout: ClusterLayout, member: MemberLayout, dataDir: string, state: ClusterState): string[] {
  return [
    `--name=${member.name}`,
    `--data-dir=${join(dataDir, member.name)}`,
    `--listen-client-urls=${clientUrl(member)}`,
    `--advertise-client-urls=${clientUrl(member)}`,
    `--listen-peer-urls=${peerUrl(member)}`,
    `--initial-advertise-peer-urls=${peerUrl(member)}`,
    `--initial-cluster=${initialCluster(layout)}`,
    `--initial-cluster-token=${layout.token}`,
    `--initial-cluster-state=${state}`,
    // etcd 3.4 defaults to the deprecated capnslog logger and warns about it.
    '--logger=zap',
    '--log-outputs=stderr',
  ];
}

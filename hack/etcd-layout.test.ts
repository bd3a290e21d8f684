import { describe, expect, it } from 'vitest';
import { formatLayout, initialCluster, memberArgs, newLayout, pairPorts, parseLayout } from './etcd-layout.ts';

const layout = newLayout(pairPorts([2379, 2380, 12379, 12380, 22379, 22380]), 'tok');

describe('etcd layout', () => {
  it('names members etcd-N and pairs ports as client, peer', () => {
    expect(layout.members).toEqual([
      { name: 'etcd-0', client: 2379, peer: 2380 },
      { name: 'etcd-1', client: 12379, peer: 12380 },
      { name: 'etcd-2', client: 22379, peer: 22380 },
    ]);
  });

  it('round-trips through the persisted JSON, so a restart reuses names and ports', () => {
    expect(parseLayout(formatLayout(layout))).toEqual(layout);
  });

  it.each([
    ['not an object', '3'],
    ['no token', '{"members":[{"name":"etcd-0","client":1,"peer":2}]}'],
    ['no members', '{"token":"t","members":[]}'],
    ['a bad port', '{"token":"t","members":[{"name":"etcd-0","client":70000,"peer":2}]}'],
    ['a bad name', '{"token":"t","members":[{"name":"../x","client":1,"peer":2}]}'],
  ])('rejects a layout with %s', (_, text) => {
    expect(() => parseLayout(text)).toThrow(/cluster layout/);
  });

  it('lists every member in --initial-cluster', () => {
    expect(initialCluster(layout)).toBe(
      'etcd-0=http://127.0.0.1:2380,etcd-1=http://127.0.0.1:12380,etcd-2=http://127.0.0.1:22380',
    );
  });

  it.each(['new', 'existing'] as const)('builds member flags for state %s', (state) => {
    const member = layout.members[1]!;
    expect(memberArgs(layout, member, '/data', state)).toEqual([
      '--name=etcd-1',
      '--data-dir=/data/etcd-1',
      '--listen-client-urls=http://127.0.0.1:12379',
      '--advertise-client-urls=http://127.0.0.1:12379',
      '--listen-peer-urls=http://127.0.0.1:12380',
      '--initial-advertise-peer-urls=http://127.0.0.1:12380',
      `--initial-cluster=${initialCluster(layout)}`,
      '--initial-cluster-token=tok',
      `--initial-cluster-state=${state}`,
      '--logger=zap',
      '--log-outputs=stderr',
    ]);
  });
});

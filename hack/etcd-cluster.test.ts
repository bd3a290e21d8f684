import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { afterAll, describe, expect, it } from 'vitest';
import { startEtcdCluster, type EtcdCluster } from './etcd-cluster.ts';
import { parseLayout } from './etcd-layout.ts';
import { isProcessAlive as isAlive } from './managed-process.ts';

async function roundTrip(endpoints: string[], key: string, value?: string): Promise<string | null> {
  const client = new Etcd3({ hosts: endpoints });
  try {
    if (value !== undefined) await client.put(key).value(value);
    return await client.get(key).string();
  } finally {
    client.close();
  }
}

// Runs real etcd processes: needs `etcd` on PATH (`make deps` installs it).
describe('startEtcdCluster', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-etcd-'));
  let cluster: EtcdCluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts 3 healthy members, stores a key, and stops every process', async () => {
    cluster = await startEtcdCluster({ dataDir });
    expect(cluster.state).toBe('new');
    expect(cluster.endpoints).toHaveLength(3);
    expect(await roundTrip(cluster.endpoints, 'kube-ts-test', 'hello')).toBe('hello');

    const pids = cluster.members.map((m) => m.process.pid);
    expect(pids.every(isAlive)).toBe(true);
    await cluster.stop();
    expect(pids.some(isAlive)).toBe(false);
  }, 60_000);

  it('restarts from its data on the same names and ports', async () => {
    const layout = parseLayout(readFileSync(join(dataDir, 'cluster.json'), 'utf8'));
    const before = layout.members.map((m) => `http://127.0.0.1:${m.client}`);
    cluster = await startEtcdCluster({ dataDir });
    expect(cluster.state).toBe('existing');
    expect(cluster.endpoints).toEqual(before);
    expect(await roundTrip(cluster.endpoints, 'kube-ts-test')).toBe('hello');
    await cluster.stop();
  }, 60_000);

  it('reports a member that dies through firstExit', async () => {
    cluster = await startEtcdCluster({ dataDir });
    const victim = cluster.members[1]!;
    process.kill(victim.process.pid, 'SIGKILL');
    const exit = await cluster.firstExit;
    expect(exit).toMatchObject({ name: victim.name, signal: 'SIGKILL' });
    await cluster.stop();
  }, 60_000);
});

/**
 * What every test cluster of one process (or of one vitest run) shares: one etcd cluster, each
 * apiserver under its own key prefix, and one set of certificates. Starting them is the cold part
 * of a test cluster (etcd about 0.3 s, RSA keys about 0.7 s); every later cluster pays only for
 * its apiserver.
 *
 * Sources, in order: the environment (`ETCD_ENDPOINTS`, `KUBE_TS_PKI_DIR`, which
 * `vitest-global-setup.ts` sets so all workers of a run share one etcd), otherwise started lazily
 * in this process and stopped by `stopSharedEnvironment()` or when the process exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEtcdCluster, type EtcdCluster } from '../../hack/etcd-cluster.ts';
import { ensurePki, type PkiPaths } from '../../hack/pki.ts';
import { guardProcessGroup } from './orphan-guard.ts';

/** Comma-separated client URLs of an etcd cluster to share (e.g. `http://127.0.0.1:2379`). */
export const etcdEndpointsEnv = 'ETCD_ENDPOINTS';
/** A directory holding the certificates `hack/pki.ts` makes (CA, serving, admin, service-account keys). */
export const pkiDirEnv = 'KUBE_TS_PKI_DIR';

export interface SharedEnvironment {
  etcdEndpoints: readonly string[];
  pki: PkiPaths;
}

/** Parses a comma-separated endpoint list; empty when unset or blank. */
export function parseEndpoints(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** The etcd and certificates this process started itself (undefined when they came from the environment). */
let owned: { dir: string; etcd?: EtcdCluster; stop?: () => Promise<void> } | undefined;
let pending: Promise<SharedEnvironment> | undefined;

process.once('exit', () => {
  // Synchronous last resort: an exiting process must not leave etcd members behind.
  for (const m of owned?.etcd?.members ?? []) if (m.process.isRunning()) m.process.killNow();
  if (owned !== undefined) rmSync(owned.dir, { recursive: true, force: true });
});

/** An environment this process started: stop() stops etcd and removes the directory. */
export interface OwnedEnvironment extends SharedEnvironment {
  dir: string;
  etcd: EtcdCluster;
  stop(): Promise<void>;
}

/** Starts a standalone etcd + certificates in a new temporary directory (used by the vitest global setup). */
export async function startEnvironment(opts: { etcdMembers?: number } = {}): Promise<OwnedEnvironment> {
  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-testenv-'));
  try {
    const [pki, etcd] = await Promise.all([
      ensurePki(join(dir, 'pki')),
      startEtcdCluster({ dataDir: join(dir, 'etcd'), members: opts.etcdMembers ?? 1 }),
    ]);
    const released = etcd.members.map((m) => guardProcessGroup(m.process.pid));
    const stop = async (): Promise<void> => {
      await etcd.stop();
      for (const release of released) release();
      rmSync(dir, { recursive: true, force: true });
    };
    return { dir, etcd, etcdEndpoints: etcd.endpoints, pki, stop };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function resolveEnvironment(): Promise<SharedEnvironment> {
  const endpoints = parseEndpoints(process.env[etcdEndpointsEnv]);
  const pkiDir = process.env[pkiDirEnv];
  if (endpoints.length > 0) {
    // An etcd from outside; certificates from outside too, or made once for this process.
    if (pkiDir !== undefined && pkiDir !== '') return { etcdEndpoints: endpoints, pki: await ensurePki(pkiDir) };
    const dir = mkdtempSync(join(tmpdir(), 'kube-ts-testenv-'));
    owned = { dir };
    return { etcdEndpoints: endpoints, pki: await ensurePki(join(dir, 'pki')) };
  }
  const env = await startEnvironment();
  owned = env;
  return { etcdEndpoints: env.etcdEndpoints, pki: env.pki };
}

/** The shared etcd and certificates, started on first use; concurrent callers share one start. */
export function sharedEnvironment(): Promise<SharedEnvironment> {
  pending ??= resolveEnvironment().catch((err: unknown) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

/** Stops the etcd this process started (if any) and removes its directory; the next cluster starts a new one. */
export async function stopSharedEnvironment(): Promise<void> {
  const mine = owned;
  owned = undefined;
  pending = undefined;
  if (mine === undefined) return;
  if (mine.stop !== undefined) await mine.stop();
  else rmSync(mine.dir, { recursive: true, force: true });
}

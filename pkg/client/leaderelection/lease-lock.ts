/**
 * A leader-election lock held in a coordination.k8s.io/v1 Lease, after client-go
 * tools/leaderelection/resourcelock/leaselock.go and interface.go (LeaderElectionRecord).
 * Writes are optimistic: an update sends the resourceVersion of the Lease last read or written,
 * so two candidates racing for the same Lease cannot both win (the loser gets 409 Conflict).
 */
import { ApiError, type RestClient } from '../rest-client.ts';

/** What the lock records about the current leader (resourcelock.LeaderElectionRecord). */
export interface LeaderElectionRecord {
  /** '' when nobody holds the lock (after a release). */
  holderIdentity: string;
  leaseDurationSeconds: number;
  /** MicroTime strings, e.g. 2024-12-11T17:59:15.123000Z. */
  acquireTime: string;
  renewTime: string;
  leaderTransitions: number;
}

export interface ResourceLock {
  /** This candidate's identity. */
  readonly identity: string;
  /** e.g. kube-system/kube-controller-manager, for logs. */
  describe(): string;
  /**
   * The current record and a canonical string of it (to notice any change), or undefined when
   * the Lease does not exist. Throws for every other failure.
   */
  get(): Promise<{ record: LeaderElectionRecord; raw: string } | undefined>;
  /** Creates the Lease holding `record`; throws (409) when it exists. */
  create(record: LeaderElectionRecord): Promise<void>;
  /** Writes `record` over the Lease last read or written; throws 409 when it changed meanwhile. */
  update(record: LeaderElectionRecord): Promise<void>;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace: string; resourceVersion?: string; [field: string]: unknown };
  spec?: LeaseSpec;
}

/** metav1.MicroTime's JSON form: RFC 3339 in UTC with six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

/** resourcelock.LeaseSpecToLeaderElectionRecord */
export function recordFromSpec(spec: LeaseSpec | undefined): LeaderElectionRecord {
  return {
    holderIdentity: spec?.holderIdentity ?? '',
    leaseDurationSeconds: spec?.leaseDurationSeconds ?? 0,
    acquireTime: spec?.acquireTime ?? '',
    renewTime: spec?.renewTime ?? '',
    leaderTransitions: spec?.leaseTransitions ?? 0,
  };
}

/** resourcelock.LeaderElectionRecordToLeaseSpec */
export function specFromRecord(record: LeaderElectionRecord): LeaseSpec {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    acquireTime: record.acquireTime,
    renewTime: record.renewTime,
    leaseTransitions: record.leaderTransitions,
  };
}

/** A lock on Lease `namespace/name`, written through `client`. */
export function newLeaseLock(client: Pick<RestClient, 'request'>, namespace: string, name: string, identity: string): ResourceLock {
  const collection = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  const item = `${collection}/${encodeURIComponent(name)}`;
  /** The Lease as last read or written: its resourceVersion guards the next update. */
  let lease: Lease | undefined;
  return {
    identity,
    describe: () => `${namespace}/${name}`,
    async get() {
      try {
        lease = await client.request<Lease>('GET', item);
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return undefined;
        throw err;
      }
      const record = recordFromSpec(lease.spec);
      return { record, raw: JSON.stringify(record) };
    },
    async create(record) {
      const body: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: specFromRecord(record) };
      lease = await client.request<Lease>('POST', collection, body);
    },
    async update(record) {
      if (!lease) throw new Error('lease not initialized, call get or create first');
      lease = await client.request<Lease>('PUT', item, { ...lease, spec: specFromRecord(record) });
    },
  };
}

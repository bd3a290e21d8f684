/**
 * The only user of etcd3. Objects are stored as JSON under `<prefix>/<resource path>`; the
 * resourceVersion is never stored: it is the key's mod revision, filled in on every read
 * (as k8s.io/apiserver/pkg/storage/etcd3/store.go does through its Versioner).
 */
import { Etcd3, castGrpcError, isRecoverableError, type IOptions } from 'etcd3';
import type { KubeObject } from '../../api/index.ts';
import { StorageError, fromEtcdError } from './errors.ts';

export interface EtcdStoreOptions {
  endpoints: string[];
  /** Key prefix, "/registry" in production; tests use a unique one so files can share a cluster. */
  prefix: string;
}

/** One key/value as read from etcd, still undecoded. */
export interface RawItem {
  key: string;
  value: Buffer;
  modRevision: number;
}

export interface ListPage {
  items: RawItem[];
  /** Revision the page was read at; pass it back to read the next page consistently. */
  revision: number;
  more: boolean;
  /** Items left after this page (etcd count minus returned). */
  remaining: number;
}

export type RawWatchEvent =
  | { type: 'put'; key: string; value: Buffer; modRevision: number; prevValue?: Buffer }
  | { type: 'delete'; key: string; modRevision: number; prevValue?: Buffer };

/** Largest range read we issue; keeps every response well under gRPC's receive limit. */
const pageBytesGuard = 256 * 1024 * 1024;

function rangeEnd(prefix: string): Buffer {
  const b = Buffer.from(prefix);
  const end = Buffer.from(b);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) { end[i] = end[i]! + 1; return end.subarray(0, i + 1); }
  }
  return Buffer.from([0]);
}

export function encodeObject(obj: KubeObject): Buffer {
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  return Buffer.from(JSON.stringify({ ...obj, metadata: meta }));
}

export function decodeObject(value: Buffer, modRevision: number): KubeObject {
  const obj = JSON.parse(value.toString('utf8')) as KubeObject;
  obj.metadata.resourceVersion = String(modRevision);
  return obj;
}

/** The slice of a grpc-js KV service client the direct path calls (etcd3 builds one per host). */
interface KvServiceClient {
  txn(req: unknown, options: object, cb: (err: Error | null, res: TxnResponse) => void): unknown;
}

interface TxnResponse {
  header: { revision: string };
  succeeded: boolean;
  responses: { response_range?: { kvs: unknown[] } }[];
}

/** etcd3's per-endpoint holder of gRPC clients (an internal of its ConnectionPool). */
interface PoolHost {
  getServiceClient(name: 'KV'): KvServiceClient;
}

/** How long an endpoint that failed at the transport level is left to etcd3's own retry logic. */
const directBackoffMs = 5000;

export class EtcdStore {
  readonly client: Etcd3;
  readonly prefix: string;
  /**
   * Endpoints for direct KV calls, when etcd3's internals look as expected. etcd3 runs every call
   * through a retry policy, a per-host circuit breaker and a fresh host shuffle; for the write
   * transactions that are most of the apiserver's etcd traffic that wrapping cost about as much
   * as the gRPC call itself. A direct call that fails at the transport level is retried through
   * etcd3 (which then does its usual failover), and its endpoint is skipped for a while.
   */
  private readonly direct: { host: PoolHost; skipUntil: number }[] = [];

  constructor(opts: EtcdStoreOptions) {
    const options: IOptions = {
      hosts: opts.endpoints,
      grpcOptions: { 'grpc.max_receive_message_length': pageBytesGuard, 'grpc.max_send_message_length': 8 * 1024 * 1024 },
    };
    this.client = new Etcd3(options);
    this.prefix = opts.prefix.replace(/\/$/, '');
    const hosts = (this.client as unknown as { pool?: { hosts?: unknown } }).pool?.hosts;
    if (Array.isArray(hosts)) {
      for (const host of hosts as Partial<PoolHost>[]) {
        if (typeof host.getServiceClient === 'function') this.direct.push({ host: host as PoolHost, skipUntil: 0 });
      }
    }
  }

  /** A random usable endpoint for a direct call (as etcd3 spreads calls), or undefined. */
  private directHost(): { host: PoolHost; skipUntil: number } | undefined {
    const n = this.direct.length;
    if (n === 0) return undefined;
    const start = Math.floor(Math.random() * n);
    const now = Date.now();
    for (let i = 0; i < n; i++) {
      const h = this.direct[(start + i) % n]!;
      if (h.skipUntil <= now) return h;
    }
    return undefined;
  }

  /**
   * One Txn: straight to an endpoint's gRPC client when one is usable, else (or after a
   * transport failure) through etcd3's retrying path. Errors are etcd3's typed errors either way.
   */
  private txn(req: Parameters<Etcd3['kv']['txn']>[0]): Promise<TxnResponse> {
    const h = this.directHost();
    if (!h) return this.client.kv.txn(req) as Promise<TxnResponse>;
    return new Promise<TxnResponse>((resolve, reject) => {
      let client: KvServiceClient;
      try {
        client = h.host.getServiceClient('KV');
      } catch {
        resolve(this.client.kv.txn(req) as Promise<TxnResponse>); // closed: etcd3 reports it
        return;
      }
      // grpc-js records a caller stack for every call (an Error) only to decorate call errors;
      // capturing it was a visible share of each write's CPU, so none is captured.
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        client.txn(req, {}, (err, res) => {
          if (!err) { resolve(res); return; }
          const typed = castGrpcError(err);
          if (!isRecoverableError(typed)) { reject(typed); return; }
          h.skipUntil = Date.now() + directBackoffMs;
          resolve(this.client.kv.txn(req) as Promise<TxnResponse>);
        });
      } finally {
        Error.stackTraceLimit = limit;
      }
    });
  }

  fullKey(key: string): string {
    return `${this.prefix}${key}`;
  }

  private strip(full: string): string {
    return full.slice(this.prefix.length);
  }

  private async call<T>(key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw fromEtcdError(err, key);
    }
  }

  async get(key: string): Promise<RawItem | null> {
    const res = await this.call(key, () => this.client.kv.range({ key: Buffer.from(this.fullKey(key)) }));
    const kv = res.kvs[0];
    if (!kv) return null;
    return { key, value: kv.value, modRevision: Number(kv.mod_revision) };
  }

  /** Current store revision (a cheap linearizable read). */
  async currentRevision(): Promise<number> {
    const res = await this.call('', () => this.client.kv.range({ key: Buffer.from(this.fullKey('/\0')), count_only: true }));
    return Number(res.header.revision);
  }

  /** Create-if-absent; returns the new mod revision. Throws StorageError Exists. */
  async create(key: string, value: Buffer): Promise<number> {
    const k = Buffer.from(this.fullKey(key));
    const res = await this.call(key, () => this.txn({
      compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: k, value } }],
      failure: [],
    }));
    if (!res.succeeded) throw new StorageError('Exists', key);
    return Number(res.header.revision);
  }

  /** Compare-and-swap on mod revision; returns the new mod revision. Throws Conflict. */
  async update(key: string, value: Buffer, expectedModRevision: number): Promise<number> {
    const k = Buffer.from(this.fullKey(key));
    const res = await this.call(key, () => this.txn({
      compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision }],
      success: [{ request_put: { key: k, value } }],
      failure: [],
    }));
    if (!res.succeeded) throw new StorageError('Conflict', key);
    return Number(res.header.revision);
  }

  /** Delete guarded by mod revision; returns the deletion revision. Throws Conflict or NotFound. */
  async delete(key: string, expectedModRevision: number): Promise<number> {
    const k = Buffer.from(this.fullKey(key));
    const res = await this.call(key, () => this.txn({
      compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision }],
      success: [{ request_delete_range: { key: k } }],
      failure: [{ request_range: { key: k } }],
    }));
    if (!res.succeeded) {
      const found = res.responses[0]?.response_range?.kvs.length ?? 0;
      throw new StorageError(found ? 'Conflict' : 'NotFound', key);
    }
    return Number(res.header.revision);
  }

  /** Unconditional delete of one key (used for reservations); true when something was deleted. */
  async deleteKey(key: string): Promise<boolean> {
    const res = await this.call(key, () => this.client.kv.deleteRange({ key: Buffer.from(this.fullKey(key)) }));
    return Number(res.deleted) > 0;
  }

  /**
   * One page of keys under `prefix`, starting at `startKey` (inclusive; defaults to the prefix), at
   * `revision` (0 = latest). Throws StorageError Compacted when the revision is gone.
   */
  async listPage(prefix: string, opts: { limit: number; startKey?: string; revision?: number }): Promise<ListPage> {
    const fullPrefix = this.fullKey(prefix);
    const res = await this.call(prefix, () => this.client.kv.range({
      key: Buffer.from(opts.startKey ? this.fullKey(opts.startKey) : fullPrefix),
      range_end: rangeEnd(fullPrefix),
      limit: opts.limit,
      revision: opts.revision ?? 0,
    }));
    const items = res.kvs.map((kv) => ({ key: this.strip(kv.key.toString('utf8')), value: kv.value, modRevision: Number(kv.mod_revision) }));
    const count = Number(res.count);
    return { items, revision: Number(res.header.revision), more: res.more, remaining: Math.max(0, count - items.length) };
  }

  /** Every key under `prefix` at one revision, read in pages so no response grows unbounded. */
  async listAll(prefix: string, pageSize = 1000): Promise<{ items: RawItem[]; revision: number }> {
    const items: RawItem[] = [];
    let page = await this.listPage(prefix, { limit: pageSize });
    const revision = page.revision;
    items.push(...page.items);
    while (page.more && page.items.length > 0) {
      const last = page.items[page.items.length - 1]!.key;
      page = await this.listPage(prefix, { limit: pageSize, startKey: `${last}\0`, revision });
      items.push(...page.items);
    }
    return { items, revision };
  }

  /**
   * Watch every key under prefix from `fromRevision` (inclusive). Events arrive in revision order.
   * onError receives StorageError Compacted when the start revision is gone. Returns a stop function.
   */
  async watch(prefix: string, fromRevision: number, onEvents: (events: RawWatchEvent[]) => void,
    onError: (err: unknown) => void): Promise<() => Promise<void>> {
    // No previous values: the watch cache keeps its own copy of every object, and asking for
    // them costs etcd a read of the old revision for every event it sends.
    const watcher = await this.client.watch().prefix(this.fullKey(prefix)).startRevision(String(fromRevision)).create();
    watcher.on('data', (res) => {
      if (Number(res.compact_revision ?? 0) > 0) {
        onError(new StorageError('Compacted', prefix, 'watch start revision compacted', Number(res.compact_revision)));
        return;
      }
      const events: RawWatchEvent[] = res.events.map((e) => {
        const key = this.strip(e.kv.key.toString('utf8'));
        const modRevision = Number(e.kv.mod_revision);
        const prevValue = e.prev_kv?.value;
        return e.type === 'Put'
          ? { type: 'put', key, value: e.kv.value, modRevision, prevValue }
          : { type: 'delete', key, modRevision, prevValue };
      });
      if (events.length > 0) onEvents(events);
    });
    watcher.on('error', (err) => onError(fromEtcdError(err, prefix)));
    return async () => { await watcher.cancel(); };
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

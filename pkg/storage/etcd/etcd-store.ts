/**
 * The only user of etcd3. Objects are stored as JSON under `<prefix>/<resource path>`; the
 * resourceVersion is never stored: it is the key's mod revision, filled in on every read
 * (as k8s.io/apiserver/pkg/storage/etcd3/store.go does through its Versioner).
 */
import { Etcd3, type IOptions } from 'etcd3';
import { DirectPool, type DirectOp, type DirectTxn, type DirectTxnResponse } from './kv-direct.ts';
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
  return Buffer.from(encodeObjectJson(obj).json);
}

/** The stored JSON of an object, and the offset of the `}` that closes its metadata. */
export interface EncodedObject {
  json: string;
  metadataEnd: number;
}

/**
 * What encodeObject stores, as text: JSON.stringify of the object without
 * metadata.resourceVersion, built one top-level field at a time so that the end of the
 * metadata is known (see withResourceVersion).
 */
export function encodeObjectJson(obj: KubeObject): EncodedObject {
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  let json = '{';
  let metadataEnd = -1;
  for (const k of Object.keys(obj)) {
    const v = k === 'metadata' ? JSON.stringify(meta) : JSON.stringify((obj as Record<string, unknown>)[k]) as string | undefined;
    if (v === undefined) continue; // undefined, functions and symbols: JSON.stringify leaves the key out
    if (json.length > 1) json += ',';
    json += `${JSON.stringify(k)}:`;
    if (k === 'metadata') metadataEnd = json.length + v.length - 1;
    json += v;
  }
  return { json: `${json}}`, metadataEnd };
}

/**
 * JSON.stringify of the stored object once `metadata.resourceVersion` is set last in its
 * metadata (as the store does after a write), without serialising the object again.
 */
export function withResourceVersion(enc: EncodedObject, resourceVersion: string): string | undefined {
  if (enc.metadataEnd < 0) return undefined;
  const field = `"resourceVersion":${JSON.stringify(resourceVersion)}`;
  const empty = enc.json[enc.metadataEnd - 1] === '{';
  return `${enc.json.slice(0, enc.metadataEnd)}${empty ? '' : ','}${field}${enc.json.slice(enc.metadataEnd)}`;
}

export function decodeObject(value: Buffer, modRevision: number): KubeObject {
  const obj = JSON.parse(value.toString('utf8')) as KubeObject;
  obj.metadata.resourceVersion = String(modRevision);
  return obj;
}

/** etcd3's request for a transaction of the shape the direct path sends. */
function etcd3Txn(t: DirectTxn): Parameters<Etcd3['kv']['txn']>[0] {
  const op = (o: DirectOp) => ('put' in o ? { request_put: o.put } : 'deleteKey' in o
    ? { request_delete_range: { key: o.deleteKey } } : { request_range: { key: o.rangeKey } });
  const compare = t.compare.target === 'Create'
    ? { key: t.key, target: 'Create' as const, result: 'Equal' as const, create_revision: t.compare.createRevision }
    : { key: t.key, target: 'Mod' as const, result: 'Equal' as const, mod_revision: t.compare.modRevision };
  return { compare: [compare], success: t.success.map(op), failure: t.failure.map(op) };
}

export class EtcdStore {
  readonly client: Etcd3;
  readonly prefix: string;
  /** Write transactions outside etcd3 (see kv-direct.ts); absent when any endpoint uses TLS. */
  private readonly direct: DirectPool | undefined;

  constructor(opts: EtcdStoreOptions) {
    const options: IOptions = {
      hosts: opts.endpoints,
      grpcOptions: { 'grpc.max_receive_message_length': pageBytesGuard, 'grpc.max_send_message_length': 8 * 1024 * 1024 },
    };
    this.client = new Etcd3(options);
    this.prefix = opts.prefix.replace(/\/$/, '');
    if (opts.endpoints.every((e) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(e) || e.startsWith('http://'))) {
      this.direct = new DirectPool(opts.endpoints.map((e) => (e.startsWith('http://') ? e : `http://${e}`)));
    }
  }

  /** One transaction: direct when possible, through etcd3 otherwise or to retry. */
  private async txn(t: DirectTxn): Promise<DirectTxnResponse> {
    if (this.direct) {
      const r = await this.direct.txn(t);
      if ('ok' in r) return r.ok;
      if ('error' in r) throw r.error;
    }
    return this.client.kv.txn(etcd3Txn(t));
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
      key: k, compare: { target: 'Create', createRevision: 0 }, success: [{ put: { key: k, value } }], failure: [],
    }));
    if (!res.succeeded) throw new StorageError('Exists', key);
    return Number(res.header.revision);
  }

  /** Compare-and-swap on mod revision; returns the new mod revision. Throws Conflict. */
  async update(key: string, value: Buffer, expectedModRevision: number): Promise<number> {
    const k = Buffer.from(this.fullKey(key));
    const res = await this.call(key, () => this.txn({
      key: k, compare: { target: 'Mod', modRevision: expectedModRevision }, success: [{ put: { key: k, value } }], failure: [],
    }));
    if (!res.succeeded) throw new StorageError('Conflict', key);
    return Number(res.header.revision);
  }

  /** Delete guarded by mod revision; returns the deletion revision. Throws Conflict or NotFound. */
  async delete(key: string, expectedModRevision: number): Promise<number> {
    const k = Buffer.from(this.fullKey(key));
    const res = await this.call(key, () => this.txn({
      key: k, compare: { target: 'Mod', modRevision: expectedModRevision }, success: [{ deleteKey: k }], failure: [{ rangeKey: k }],
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
    this.direct?.close();
    this.client.close();
  }
}

/**
 * One store for every resource (k8s.io/apiserver/pkg/registry/generic/registry/store.go): the
 * order of operations for each verb is written here once; what differs by kind lives in the
 * Strategy and in optional I/O hooks.
 */
import { isDeepStrictEqual } from 'node:util';
import { deepCopy, type KubeObject, type KubeList } from '../../api/index.ts';
import * as apierrors from '../../apierrors/index.ts';
import type { FieldError } from '../../apierrors/index.ts';
import { apiVersionOf, type ResourceEntry } from '../../resources/index.ts';
import { decodeObject, encodeObject, encodeObjectJson, isStorageError, withResourceVersion, type EtcdStore } from '../../storage/etcd/index.ts';
import { WatchCache } from '../../storage/cacher/index.ts';
import type { Strategy, StrategyContext } from './strategy.ts';
import { interpretStorageError, type StoreVerb } from './interpret-errors.ts';
import { decodeContinue, encodeContinue } from './continue-token.ts';
import { fillCreateMeta, formatTime, keepSystemMeta, type MetaSources } from './object-meta.ts';
import type { AdmissionHooks } from '../../admission/types.ts';
import type { UserInfo } from '../../auth/user.ts';

/** I/O a kind needs around writes (e.g. service IP allocation); runs after validation, before the write. */
export interface StoreHooks {
  beforeCreate?(obj: KubeObject): Promise<void>;
  beforeUpdate?(obj: KubeObject, old: KubeObject): Promise<void>;
  /** Runs when a write after beforeCreate/beforeUpdate failed, to undo their reservations. */
  rollback?(obj: KubeObject, old: KubeObject | undefined): Promise<void>;
  afterDelete?(obj: KubeObject): Promise<void>;
}

export interface StoreDeps {
  etcd: EtcdStore;
  meta: MetaSources;
  /** Schema (OpenAPI) errors of a whole object. */
  schemaErrors(entry: ResourceEntry, obj: KubeObject): FieldError[];
  /** Events each watch cache keeps for resuming watches (its window); WatchCache's default when unset. */
  watchCacheSize?: number;
}

export interface ListOptions {
  namespace?: string;
  /** Selector predicate built by the caller from labelSelector/fieldSelector. */
  filter?: (obj: KubeObject) => boolean;
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** 'status' for the /status subresource; undefined for the main resource. */
  subresource?: string;
  /** Internal writes (pods/binding) that set fields the strategy keeps users from changing. */
  bypassStrategy?: boolean;
  /**
   * The request's admission: mutate runs before the strategy prepares and validates the object,
   * validate after, just before the write (upstream's admit and createValidation/updateValidation).
   * Internal writes (bootstrap) have none.
   */
  admission?: AdmissionHooks;
  /** Who asked; strategies that record the requester (CertificateSigningRequest) read it. */
  user?: UserInfo;
}

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  /** The object as it now stands (terminating) or as it was (deleted). */
  object: KubeObject;
  /** True when the object is gone from storage. */
  deleted: boolean;
}

/**
 * Retries of an unconditional write that lost a compare-and-swap race. etcd3's GuaranteedUpdate
 * loops until it wins; a generous cap keeps a live-lock from spinning forever.
 */
const maxConflictRetries = 100;
const maxGenerateNameRetries = 7;
/** Keys per etcd range read of an unlimited list, and the cap a limited list's pages grow to. */
const unlimitedListPage = 1000;
const maxListPage = 10_000;

/** JSON of objects `create` returned, made from the stored JSON (see createdObjectJson). */
const createdJson = new WeakMap<KubeObject, string>();

/**
 * JSON.stringify(obj) for an object GenericStore.create just returned, taken from the JSON it
 * stored (one serialisation per create instead of two), or undefined. Valid only while the
 * caller has not changed the object: it is meant for writing the create response at once.
 */
export function createdObjectJson(obj: KubeObject): string | undefined {
  return createdJson.get(obj);
}

export class GenericStore {
  readonly entry: ResourceEntry;
  readonly strategy: Strategy;
  readonly cache: WatchCache;
  private readonly deps: StoreDeps;
  private readonly hooks: StoreHooks;
  private readonly prefix: string;

  constructor(entry: ResourceEntry, strategy: Strategy, deps: StoreDeps, hooks: StoreHooks = {}) {
    this.entry = entry;
    this.strategy = strategy;
    this.deps = deps;
    this.hooks = hooks;
    this.prefix = `/${entry.group ? `${entry.group}/` : ''}${entry.plural}/`;
    this.cache = new WatchCache(deps.etcd, { prefix: this.prefix, capacity: deps.watchCacheSize });
  }

  /** Storage key: /<group>/<resource>/<namespace>/<name>, core group without the group part. */
  key(namespace: string | undefined, name: string): string {
    return this.entry.namespaced ? `${this.prefix}${namespace}/${name}` : `${this.prefix}${name}`;
  }

  private listPrefix(namespace: string | undefined): string {
    return this.entry.namespaced && namespace ? `${this.prefix}${namespace}/` : this.prefix;
  }

  private ctx(opts: WriteOptions): StrategyContext {
    return { now: this.deps.meta.now(), user: opts.user };
  }

  private fail(err: unknown, verb: StoreVerb, name: string): never {
    throw interpretStorageError(err, verb, this.entry.group, this.entry.plural, name);
  }

  private withTypeMeta(obj: KubeObject): KubeObject {
    obj.apiVersion = apiVersionOf(this.entry);
    obj.kind = this.entry.kind;
    return obj;
  }

  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    let raw;
    try {
      raw = await this.deps.etcd.get(this.key(namespace, name));
    } catch (err) {
      this.fail(err, 'get', name);
    }
    if (!raw) throw apierrors.notFound(this.entry.group, this.entry.plural, name);
    return this.withTypeMeta(decodeObject(raw.value, raw.modRevision));
  }

  async list(opts: ListOptions): Promise<KubeList> {
    const listKind = `${this.entry.kind}List`;
    const base = { apiVersion: apiVersionOf(this.entry), kind: listKind };
    const match = opts.filter ?? (() => true);
    const inNamespace = (o: KubeObject) => !this.entry.namespaced || !opts.namespace || o.metadata.namespace === opts.namespace;
    if (opts.resourceVersion === '0' && !opts.continueToken && opts.resourceVersionMatch !== 'Exact') {
      await this.cache.start();
      const snap = this.cache.snapshot();
      const items = snap.items.filter((o) => inNamespace(o) && match(o))
        .sort((a, b) => compareKeys(this.sortKey(a), this.sortKey(b)))
        .map((o) => withoutTypeMeta(deepCopy(o)));
      return { ...base, metadata: { resourceVersion: String(snap.revision) }, items };
    }
    return this.listFromEtcd(opts, base, match);
  }

  private sortKey(o: KubeObject): string {
    return this.key(o.metadata.namespace, o.metadata.name ?? '');
  }

  private async listFromEtcd(opts: ListOptions, base: { apiVersion: string; kind: string },
    match: (o: KubeObject) => boolean): Promise<KubeList> {
    const prefix = this.listPrefix(opts.namespace);
    let revision = 0;
    let startKey: string | undefined;
    if (opts.continueToken) {
      const state = decodeContinue(opts.continueToken);
      revision = state.revision;
      startKey = `${this.prefix}${state.start}`;
      if (!startKey.startsWith(prefix)) throw apierrors.badRequest('invalid continue token: continue key is not valid: key does not match the requested namespace');
    } else if (opts.resourceVersionMatch === 'Exact' && opts.resourceVersion) {
      revision = Number(opts.resourceVersion);
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    // A limited list reads limit+1 keys, then doubles the page while a selector keeps rejecting
    // objects (etcd3 store.GetList does the same), so sparse matches need few round trips.
    let pageLimit = limit ? limit + 1 : unlimitedListPage;
    const items: KubeObject[] = [];
    let more = false;
    let remaining = 0;
    let nextStart: string | undefined;
    try {
      for (;;) {
        const page = await this.deps.etcd.listPage(prefix, { limit: pageLimit, startKey, revision });
        if (!revision) revision = page.revision;
        for (let i = 0; i < page.items.length; i++) {
          const raw = page.items[i]!;
          if (limit && items.length === limit) {
            more = true;
            nextStart = raw.key;
            remaining = page.remaining + page.items.length - i;
            break;
          }
          const obj = decodeObject(raw.value, raw.modRevision);
          if (match(obj)) items.push(withoutTypeMeta(obj));
        }
        if (more || !page.more || page.items.length === 0) break;
        const last = page.items[page.items.length - 1]!.key;
        if (limit && items.length === limit) {
          more = true;
          nextStart = `${last}\0`;
          remaining = page.remaining;
          break;
        }
        startKey = `${last}\0`;
        if (limit) pageLimit = Math.min(pageLimit * 2, maxListPage);
      }
    } catch (err) {
      if (isStorageError(err, 'Compacted') && opts.continueToken) {
        throw apierrors.resourceExpired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
      }
      if (isStorageError(err, 'Compacted')) {
        throw apierrors.resourceExpired(`too old resource version: ${revision}`);
      }
      this.fail(err, 'list', '');
    }
    const metadata: KubeList['metadata'] = { resourceVersion: String(revision) };
    if (more && nextStart) {
      metadata.continue = encodeContinue({ revision, start: nextStart.slice(this.prefix.length) });
      if (!opts.filter && remaining > 0) metadata.remainingItemCount = remaining;
    }
    return { ...base, metadata, items };
  }

  private validateOrThrow(obj: KubeObject, errors: FieldError[]): void {
    if (errors.length > 0) throw apierrors.invalid(this.entry.group, this.entry.kind, obj.metadata.name ?? '', errors);
  }

  async create(namespace: string | undefined, input: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    const obj = this.withTypeMeta(input);
    // etcd3 store.Create refuses a parseable non-zero resourceVersion with a plain error, which
    // the real server answers as a bare 500 Status (no reason, no details); unparseable ones are ignored.
    const rv = obj.metadata.resourceVersion;
    if (rv && /^\d+$/.test(rv) && rv !== '0') {
      throw new apierrors.StatusError(500, '', 'resourceVersion should not be set on objects to be created');
    }
    delete obj.metadata.resourceVersion;
    if (this.entry.namespaced) obj.metadata.namespace = namespace; else delete obj.metadata.namespace;
    const requestedName = obj.metadata.name ?? '';
    // Upstream defaults while decoding, so admission sees a defaulted object.
    this.strategy.applyDefaults?.(obj);
    await opts.admission?.mutate('CREATE', obj, undefined);
    if (this.entry.namespaced) obj.metadata.namespace = namespace; else delete obj.metadata.namespace;
    fillCreateMeta(obj, this.deps.meta);
    const ctx = this.ctx(opts);
    this.strategy.applyDefaults?.(obj);
    if (this.strategy.tracksGeneration) obj.metadata.generation = 1;
    this.strategy.prepareForCreate?.(obj, ctx);
    this.validateOrThrow(obj, [...this.deps.schemaErrors(this.entry, obj), ...(this.strategy.validate?.(obj) ?? [])]);
    this.strategy.canonicalize?.(obj);
    await opts.admission?.validate('CREATE', obj, undefined);
    if (opts.dryRun) return obj;
    await this.hooks.beforeCreate?.(obj);
    // A generated name that is taken is regenerated a few times (RetryGenerateName, GA in 1.32).
    for (let attempt = 0; ; attempt++) {
      const name = obj.metadata.name!;
      try {
        const enc = encodeObjectJson(obj);
        const rev = await this.deps.etcd.create(this.key(namespace, name), Buffer.from(enc.json));
        const rvPlacedLast = !Object.hasOwn(obj.metadata, 'resourceVersion');
        obj.metadata.resourceVersion = String(rev);
        const json = rvPlacedLast ? withResourceVersion(enc, obj.metadata.resourceVersion) : undefined;
        if (json !== undefined) createdJson.set(obj, json);
        return obj;
      } catch (err) {
        if (isStorageError(err, 'Exists') && !requestedName && obj.metadata.generateName && attempt < maxGenerateNameRetries) {
          obj.metadata.name = `${obj.metadata.generateName}${this.deps.meta.nameSuffix()}`;
          continue;
        }
        await this.hooks.rollback?.(obj, undefined);
        this.fail(err, 'create', name);
      }
    }
  }

  /**
   * Replace (PUT) or transform (PATCH) an object. `transform` gets a private copy of the current
   * object (or undefined when it does not exist) and returns the desired object. Retries on
   * storage conflicts unless the desired object pins a resourceVersion.
   */
  async update(namespace: string | undefined, name: string,
    transform: (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>,
    opts: WriteOptions = {}): Promise<{ object: KubeObject; created: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const raw = await this.deps.etcd.get(this.key(namespace, name)).catch((err: unknown) => this.fail(err, 'update', name));
      const current = raw ? this.withTypeMeta(decodeObject(raw.value, raw.modRevision)) : undefined;
      const desired = this.withTypeMeta(await transform(current ? deepCopy(current) : undefined));
      this.checkIdentity(desired, namespace, name);
      if (!current || !raw) {
        if (!this.strategy.allowCreateOnUpdate || opts.subresource) throw apierrors.notFound(this.entry.group, this.entry.plural, name);
        desired.metadata.name = name;
        delete desired.metadata.resourceVersion;
        return { object: await this.create(namespace, desired, opts), created: true };
      }
      const pinned = desired.metadata.resourceVersion;
      if (pinned && pinned !== current.metadata.resourceVersion) throw apierrors.conflict(this.entry.group, this.entry.plural, name);
      if (!opts.subresource) this.strategy.applyDefaults?.(desired);
      await opts.admission?.mutate('UPDATE', desired, current);
      this.checkIdentity(desired, namespace, name);
      const obj = this.prepareUpdate(desired, current, opts);
      await opts.admission?.validate('UPDATE', obj, current);
      if (isDeepStrictEqual(stripVersion(obj), stripVersion(current))) return { object: current, created: false };
      if (opts.dryRun) return { object: obj, created: false };
      try {
        await this.hooks.beforeUpdate?.(obj, current);
        const rev = await this.deps.etcd.update(this.key(namespace, name), encodeObject(obj), raw.modRevision);
        obj.metadata.resourceVersion = String(rev);
      } catch (err) {
        await this.hooks.rollback?.(obj, current);
        if (isStorageError(err, 'Conflict') && !pinned && attempt < maxConflictRetries) continue;
        this.fail(err, 'update', name);
      }
      if (obj.metadata.deletionTimestamp && !this.blocksDeletion(obj) && this.blocksDeletion(current)) {
        return { object: (await this.finishDelete(namespace, name, obj)).object, created: false };
      }
      return { object: obj, created: false };
    }
  }

  private checkIdentity(obj: KubeObject, namespace: string | undefined, name: string): void {
    if (obj.metadata.name && obj.metadata.name !== name) {
      throw apierrors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    if (this.entry.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
        throw apierrors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = namespace;
    } else {
      delete obj.metadata.namespace;
    }
  }

  /** Status/spec split, system metadata, generation, strategy and validation for an update. */
  private prepareUpdate(desired: KubeObject, current: KubeObject, opts: WriteOptions): KubeObject {
    const ctx = this.ctx(opts);
    const hasStatus = this.entry.subresources.some((s) => s.name === 'status');
    let obj = desired;
    if (opts.bypassStrategy) {
      keepSystemMeta(obj, current);
      return obj;
    }
    if (opts.subresource === 'finalize') {
      // namespaces/<n>/finalize changes spec.finalizers and nothing else.
      const finalizers = (desired.spec as { finalizers?: unknown } | undefined)?.finalizers;
      obj = { ...deepCopy(current), spec: { ...(current.spec as object), finalizers } };
      obj.metadata.resourceVersion = desired.metadata.resourceVersion;
      return obj;
    }
    const sub = opts.subresource ? this.strategy.subresources?.[opts.subresource] : undefined;
    if (sub) {
      // A subresource with its own strategy (certificatesigningrequests/approval): it says what
      // the request may change; everything else comes from storage.
      obj = sub.fromRequest(desired, deepCopy(current));
      obj.metadata.resourceVersion = desired.metadata.resourceVersion;
      sub.prepareForUpdate?.(obj, current, ctx);
      this.validateOrThrow(obj, [...this.deps.schemaErrors(this.entry, obj), ...(sub.validateUpdate?.(obj, current) ?? [])]);
      return obj;
    }
    if (opts.subresource === 'status') {
      // Spec and identity come from storage; status and annotations from the request (status
      // strategies reset spec and labels but not annotations: controllers record e.g.
      // deployment.kubernetes.io/revision through UpdateStatus).
      obj = { ...deepCopy(current), status: desired.status };
      obj.metadata.resourceVersion = desired.metadata.resourceVersion;
      if (desired.metadata.annotations) obj.metadata.annotations = desired.metadata.annotations;
      else delete obj.metadata.annotations;
      if (desired.status === undefined) delete obj.status;
      this.strategy.status?.prepareForUpdate?.(obj, current, ctx);
      this.validateOrThrow(obj, [...this.deps.schemaErrors(this.entry, obj), ...(this.strategy.status?.validateUpdate?.(obj, current) ?? [])]);
      return obj;
    }
    keepSystemMeta(obj, current);
    if (hasStatus) {
      if (current.status === undefined) delete obj.status; else obj.status = deepCopy(current.status);
    }
    this.strategy.applyDefaults?.(obj);
    this.strategy.prepareForUpdate?.(obj, current, ctx);
    if (this.strategy.tracksGeneration && specChanged(obj, current)) {
      obj.metadata.generation = (current.metadata.generation ?? 1) + 1;
    }
    this.validateOrThrow(obj, [...this.deps.schemaErrors(this.entry, obj), ...(this.strategy.validateUpdate?.(obj, current) ?? [])]);
    this.strategy.canonicalize?.(obj);
    return obj;
  }

  async delete(namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(namespace, name);
      const m = current.metadata;
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== m.uid) {
        throw apierrors.conflict(this.entry.group, this.entry.plural, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${m.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== m.resourceVersion) {
        throw apierrors.conflict(this.entry.group, this.entry.plural, name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${m.resourceVersion}`);
      }
      if (attempt === 0) {
        await opts.admission?.mutate('DELETE', undefined, current);
        await opts.admission?.validate('DELETE', undefined, current);
      }
      const next = deepCopy(current);
      const finalizers = new Set(next.metadata.finalizers ?? []);
      if (opts.propagationPolicy === 'Orphan') finalizers.add('orphan');
      if (opts.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
      const grace = this.gracePeriod(current, opts);
      const pending = this.strategy.deletionPending?.(current) ?? false;
      if (finalizers.size === 0 && grace === 0 && !pending) {
        if (opts.dryRun) return { object: current, deleted: true };
        try {
          return await this.finishDelete(namespace, name, current);
        } catch (err) {
          if (apierrors.isStatusError(err) && err.code === 409 && attempt < maxConflictRetries) continue;
          throw err;
        }
      }
      // Graceful or pending finalization: mark, keep, and let the owner of the finalizer finish.
      next.metadata.finalizers = finalizers.size ? [...finalizers] : next.metadata.finalizers;
      this.strategy.prepareForDelete?.(next);
      markDeleting(next.metadata, grace, this.deps.meta.now());
      if (isDeepStrictEqual(next, current) || opts.dryRun) return { object: next, deleted: false };
      try {
        const rev = await this.deps.etcd.update(this.key(namespace, name), encodeObject(next), Number(m.resourceVersion));
        next.metadata.resourceVersion = String(rev);
        return { object: next, deleted: false };
      } catch (err) {
        if (isStorageError(err, 'Conflict') && attempt < maxConflictRetries) continue;
        this.fail(err, 'delete', name);
      }
    }
  }

  /** Whether finalizers (metadata or kind-specific) still hold the object after deletion was requested. */
  private blocksDeletion(obj: KubeObject): boolean {
    return Boolean(obj.metadata.finalizers?.length) || (this.strategy.deletionPending?.(obj) ?? false);
  }

  /** Seconds of grace before the object may go; 0 means delete now (when no finalizers remain). */
  private gracePeriod(obj: KubeObject, opts: DeleteOptions): number {
    return this.strategy.gracePeriod?.(obj, opts.gracePeriodSeconds) ?? 0;
  }

  private async finishDelete(namespace: string | undefined, name: string, obj: KubeObject): Promise<DeleteResult> {
    try {
      const rev = await this.deps.etcd.delete(this.key(namespace, name), Number(obj.metadata.resourceVersion));
      const object = deepCopy(obj);
      object.metadata.resourceVersion = String(rev);
      await this.hooks.afterDelete?.(object);
      return { object, deleted: true };
    } catch (err) {
      this.fail(err, 'delete', name);
    }
  }

  /** Deletes every object matching the list options, one by one, as the real DeleteCollection does. */
  async deleteCollection(listOpts: ListOptions, opts: DeleteOptions): Promise<KubeList> {
    const list = await this.list({ ...listOpts, limit: undefined, continueToken: undefined });
    const out: KubeObject[] = [];
    for (const item of list.items) {
      try {
        const r = await this.delete(item.metadata.namespace, item.metadata.name!, opts);
        out.push(withoutTypeMeta(r.object));
      } catch (err) {
        if (!(apierrors.isStatusError(err) && err.code === 404)) throw err;
      }
    }
    return { ...list, items: out };
  }
}

/**
 * Sets deletionTimestamp/deletionGracePeriodSeconds as rest.BeforeDelete and markAsDeleting do:
 * the first mark bumps a tracked generation; later requests may only shorten the grace period,
 * and the new deadline counts from the original request, not from now.
 */
function markDeleting(m: KubeObject['metadata'], grace: number, now: Date): void {
  if (!m.deletionTimestamp) {
    m.deletionTimestamp = formatTime(new Date(now.getTime() + grace * 1000));
    m.deletionGracePeriodSeconds = grace;
    if ((m.generation ?? 0) > 0) m.generation = m.generation! + 1;
    return;
  }
  const previous = m.deletionGracePeriodSeconds;
  if (previous === undefined || grace >= previous) return;
  const requestedAt = Date.parse(m.deletionTimestamp) - previous * 1000;
  m.deletionTimestamp = formatTime(new Date(requestedAt + grace * 1000));
  m.deletionGracePeriodSeconds = grace;
}

/** etcd orders keys by bytes; names are ASCII, so code-unit order is the same. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** List items carry no apiVersion/kind: the real server encodes TypeMeta on the list only. */
function withoutTypeMeta(o: KubeObject): KubeObject {
  delete o.apiVersion;
  delete o.kind;
  return o;
}

function stripVersion(o: KubeObject): KubeObject {
  return { ...o, metadata: { ...o.metadata, resourceVersion: undefined } };
}

/** Anything outside metadata and status differs: the spec changed (generation bump rule). */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  const { metadata: _m1, status: _s1, ...ra } = a;
  const { metadata: _m2, status: _s2, ...rb } = b;
  return !isDeepStrictEqual(ra, rb);
}

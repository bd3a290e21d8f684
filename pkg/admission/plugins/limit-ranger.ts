/**
 * LimitRanger (plugin/pkg/admission/limitranger): the LimitRanges of a namespace fill in
 * Container default limits and requests of new pods (noting what they set in the
 * kubernetes.io/limit-ranger annotation), then refuse pods and PersistentVolumeClaims outside
 * their min, max and maxLimitRequestRatio, per Container, per Pod and per claim.
 */
import type { Container, LimitRange, LimitRangeItem, PersistentVolumeClaim, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/index.ts';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.ts';
import type { AdmissionDeps } from './deps.ts';
import { admissionForbidden } from './forbidden.ts';
import {
  addQuantity, formatQuantity as quantityString, parseQuantity, quantityMilliValue, quantityValue, type Quantity,
} from '../../quota/quantity.ts';

const limitRangerAnnotation = 'kubernetes.io/limit-ranger';
/** How long a live list of a namespace without cached LimitRanges is trusted (liveTTL). */
const liveLookupTtlMs = 30_000;
/** resource.MaxMilliValue */
const maxMilliValue = 9223372036854775807n / 1000n;

type ResourceList = Record<string, string | number>;
type Quantities = Map<string, Quantity>;

function quantities(list: ResourceList | undefined): Quantities {
  const out: Quantities = new Map();
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = parseQuantity(v);
    if (q) out.set(k, q);
  }
  return out;
}

/** Keys in a stable order (Go ranges over maps at random; one order keeps messages reproducible). */
function sortedEntries(list: ResourceList | undefined): [string, Quantity][] {
  return [...quantities(list)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** requestLimitEnforcedValues: milli-units when none of the three would overflow, else units. */
function enforcedValues(req: Quantity | undefined, lim: Quantity | undefined, enforced: Quantity): [bigint, bigint, bigint] {
  const zero: Quantity = { nano: 0n, format: 'DecimalSI' };
  const r = req ?? zero;
  const l = lim ?? zero;
  const units = [quantityValue(r), quantityValue(l), quantityValue(enforced)] as const;
  if (units.every((v) => v <= maxMilliValue)) return [quantityMilliValue(r), quantityMilliValue(l), quantityMilliValue(enforced)];
  return [...units];
}

function minConstraint(type: string, name: string, enforced: Quantity, requests: Quantities, limits: Quantities): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l, e] = enforcedValues(req, lim, enforced);
  const min = quantityString(enforced);
  if (!req) return `minimum ${name} usage per ${type} is ${min}.  No request is specified`;
  if (r < e) return `minimum ${name} usage per ${type} is ${min}, but request is ${quantityString(req)}`;
  if (lim && l < e) return `minimum ${name} usage per ${type} is ${min}, but limit is ${quantityString(lim)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: Quantity, requests: Quantities, limits: Quantities): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l, e] = enforcedValues(req, lim, enforced);
  const max = quantityString(enforced);
  if (!lim) return `maximum ${name} usage per ${type} is ${max}.  No limit is specified`;
  if (l > e) return `maximum ${name} usage per ${type} is ${max}, but limit is ${quantityString(lim)}`;
  if (req && r > e) return `maximum ${name} usage per ${type} is ${max}, but request is ${quantityString(req)}`;
  return undefined;
}

/** maxRequestConstraint: claims have no limits, so max bounds the request. */
function maxRequestConstraint(type: string, name: string, enforced: Quantity, requests: Quantities): string | undefined {
  const req = requests.get(name);
  const [r, , e] = enforcedValues(req, undefined, enforced);
  const max = quantityString(enforced);
  if (!req) return `maximum ${name} usage per ${type} is ${max}.  No request is specified`;
  if (r > e) return `maximum ${name} usage per ${type} is ${max}, but request is ${quantityString(req)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: Quantity, requests: Quantities, limits: Quantities): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l] = enforcedValues(req, lim, enforced);
  const ratio = quantityString(enforced);
  if (!req || r === 0n) return `${name} max limit to request ratio per ${type} is ${ratio}, but no request is specified or request is 0`;
  if (!lim || l === 0n) return `${name} max limit to request ratio per ${type} is ${ratio}, but no limit is specified or limit is 0`;
  const displayed = Number(l) / Number(r);
  let observed = displayed;
  let allowed = Number(quantityValue(enforced));
  if (quantityValue(enforced) <= maxMilliValue) {
    observed *= 1000;
    allowed = Number(quantityMilliValue(enforced));
  }
  if (observed > allowed) return `${name} max limit to request ratio per ${type} is ${ratio}, but provided ratio is ${displayed.toFixed(6)}`;
  return undefined;
}

function checkItem(item: LimitRangeItem, requests: Quantities, limits: Quantities, errs: string[]): void {
  const push = (e: string | undefined) => { if (e) errs.push(e); };
  for (const [k, v] of sortedEntries(item.min)) push(minConstraint(item.type, k, v, requests, limits));
  for (const [k, v] of sortedEntries(item.max)) push(maxConstraint(item.type, k, v, requests, limits));
  for (const [k, v] of sortedEntries(item.maxLimitRequestRatio)) push(ratioConstraint(item.type, k, v, requests, limits));
}

function addInto(into: Quantities, from: Quantities): void {
  for (const [k, q] of from) {
    const prev = into.get(k);
    into.set(k, prev ? addQuantity(prev, q) : q);
  }
}

function maxInto(into: Quantities, from: Quantities): void {
  for (const [k, q] of from) {
    const prev = into.get(k);
    if (!prev || q.nano > prev.nano) into.set(k, q);
  }
}

/**
 * The pod's effective requests or limits: the sum of its containers and sidecars, or the largest
 * init container (plus the sidecars started before it) when that is more. No overhead, as upstream.
 */
function podTotals(spec: PodSpec, key: 'requests' | 'limits'): Quantities {
  const total: Quantities = new Map();
  for (const c of spec.containers ?? []) addInto(total, quantities(c.resources?.[key]));
  const sidecars: Quantities = new Map();
  const inits: Quantities = new Map();
  for (const c of spec.initContainers ?? []) {
    const own = quantities(c.resources?.[key]);
    let use: Quantities;
    if (c.restartPolicy === 'Always') {
      addInto(total, own);
      addInto(sidecars, own);
      use = sidecars;
    } else {
      use = new Map();
      addInto(use, own);
      addInto(use, sidecars);
    }
    maxInto(inits, use);
  }
  maxInto(total, inits);
  return total;
}

/** PodValidateLimitFunc: the messages of every violated constraint. */
export function validatePod(lr: LimitRange, spec: PodSpec): string[] {
  const errs: string[] = [];
  for (const item of lr.spec?.limits ?? []) {
    if (item.type === 'Container') {
      for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
        checkItem(item, quantities(c.resources?.requests), quantities(c.resources?.limits), errs);
      }
    }
    if (item.type === 'Pod') checkItem(item, podTotals(spec, 'requests'), podTotals(spec, 'limits'), errs);
  }
  return errs;
}

/** PersistentVolumeClaimValidateLimitFunc. */
export function validateClaim(lr: LimitRange, pvc: PersistentVolumeClaim): string[] {
  const errs: string[] = [];
  const requests = quantities(pvc.spec?.resources?.requests);
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of sortedEntries(item.min)) {
      const e = minConstraint(item.type, k, v, requests, new Map());
      if (e) errs.push(e);
    }
    for (const [k, v] of sortedEntries(item.max)) {
      const e = maxRequestConstraint(item.type, k, v, requests);
      if (e) errs.push(e);
    }
  }
  return errs;
}

/** defaultContainerResourceRequirements: every Container item's default and defaultRequest. */
function containerDefaults(lr: LimitRange): { limits: Record<string, string>; requests: Record<string, string> } {
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  return { limits, requests };
}

/** Fills what a container lacks; returns the annotation phrases ("cpu limit for container app"). */
function mergeContainer(c: Container, defaults: { limits: Record<string, string>; requests: Record<string, string> }, kind: string): string[] {
  const resources = (c.resources ??= {});
  // SetDefaults_Pod (requests from limits) runs before admission upstream, so a limit the user
  // gave wins over the LimitRange's defaultRequest.
  for (const [k, v] of Object.entries(resources.limits ?? {})) {
    if (!(k in (resources.requests ?? {}))) (resources.requests ??= {})[k] = v;
  }
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const [k, v] of Object.entries(defaults.limits)) {
    if (k in (resources.limits ?? {})) continue;
    (resources.limits ??= {})[k] = v;
    setLimits.push(k);
  }
  for (const [k, v] of Object.entries(defaults.requests)) {
    if (k in (resources.requests ?? {})) continue;
    (resources.requests ??= {})[k] = v;
    setRequests.push(k);
  }
  const phrases: string[] = [];
  if (setRequests.length > 0) phrases.push(`${setRequests.sort().join(', ')} request for ${kind} ${c.name}`);
  if (setLimits.length > 0) phrases.push(`${setLimits.sort().join(', ')} limit for ${kind} ${c.name}`);
  return phrases;
}

/** PodMutateLimitFunc: Container defaults and the annotation naming them. */
export function mutatePod(lr: LimitRange, pod: Pod): void {
  const spec = (pod.spec ??= { containers: [] });
  const defaults = containerDefaults(lr);
  const phrases = [
    ...(spec.containers ?? []).flatMap((c) => mergeContainer(c, defaults, 'container')),
    ...(spec.initContainers ?? []).flatMap((c) => mergeContainer(c, defaults, 'init container')),
  ];
  if (phrases.length === 0) return;
  const meta = (pod.metadata ??= {});
  (meta.annotations ??= {})[limitRangerAnnotation] = `LimitRanger plugin set: ${phrases.join('; ')}`;
}

export function limitRanger(deps: AdmissionDeps): AdmissionPlugin {
  const live = new Map<string, { expiry: number; items: LimitRange[] }>();

  /** The cached LimitRanges of the namespace; with none cached, a live list trusted for a while. */
  const limitRanges = async (namespace: string): Promise<LimitRange[]> => {
    const store = deps.registry.store({ group: '', plural: 'limitranges' });
    await store.cache.start();
    const cached = store.cache.inNamespace(namespace);
    if (cached.length > 0) return cached as unknown as LimitRange[];
    const entry = live.get(namespace);
    if (entry && entry.expiry >= Date.now()) return entry.items;
    const list = await store.list({ namespace });
    const items = list.items as unknown as LimitRange[];
    if (live.size > 4096) live.clear();
    live.set(namespace, { expiry: Date.now() + liveLookupTtlMs, items });
    return items;
  };

  /** SupportsAttributes: pods on create, claims on create and update; never subresources or objects being deleted. */
  const applies = (a: AdmissionAttributes): boolean => {
    if (a.subresource || a.entry.group !== '' || !a.object) return false;
    if (a.oldObject?.metadata.deletionTimestamp) return false;
    if (a.entry.plural === 'pods') return a.operation === 'CREATE';
    return a.entry.plural === 'persistentvolumeclaims';
  };

  const run = async (a: AdmissionAttributes, fn: (lr: LimitRange, obj: KubeObject) => string[]): Promise<void> => {
    if (!applies(a)) return;
    for (const lr of await limitRanges(a.namespace)) {
      const errs = fn(lr, a.object!);
      // utilerrors.NewAggregate: one message alone, several in brackets.
      if (errs.length === 1) throw admissionForbidden(a, errs[0]!);
      if (errs.length > 1) throw admissionForbidden(a, `[${errs.join(', ')}]`);
    }
  };

  return {
    name: 'LimitRanger',
    operations: ['CREATE', 'UPDATE'],
    admit: (a) => run(a, (lr, obj) => {
      if (a.entry.plural === 'pods') mutatePod(lr, obj as unknown as Pod);
      return [];
    }),
    validate: (a) => run(a, (lr, obj) => (a.entry.plural === 'pods'
      ? validatePod(lr, (obj as unknown as Pod).spec ?? { containers: [] })
      : validateClaim(lr, obj as unknown as PersistentVolumeClaim))),
  };
}

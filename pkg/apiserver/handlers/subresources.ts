/**
 * Subresources that are views of their parent rather than stored objects: /scale (autoscaling/v1
 * Scale over spec.replicas) and pods/binding (sets spec.nodeName once).
 */
import type { KubeObject } from '../../api/index.ts';
import * as apierrors from '../../apierrors/index.ts';
import { decodePatchBody, mediaType, patchTypeOf, readRawBody } from '../body.ts';
import { decodeBodyAs } from '../decode-object.ts';
import { negotiate, writeObject } from '../negotiation.ts';
import { applyPatch } from '../patch.ts';
import type { RequestScope } from '../scope.ts';
import { writeOptionsOf } from '../request-options.ts';

const scaleKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

/** Selector of a scalable object as Scale.status.selector: a label selector string. */
function selectorString(obj: KubeObject): string {
  const sel = (obj.spec as { selector?: unknown } | undefined)?.selector;
  if (!sel || typeof sel !== 'object') return '';
  const s = sel as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  if (!('matchLabels' in s) && !('matchExpressions' in s)) {
    return Object.entries(sel as Record<string, string>).sort().map(([k, v]) => `${k}=${v}`).join(',');
  }
  const parts = Object.entries(s.matchLabels ?? {}).sort().map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

export function scaleOf(obj: KubeObject): KubeObject {
  const m = obj.metadata;
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: (obj.spec as { replicas?: number } | undefined)?.replicas ?? 0 },
    status: { replicas: (obj.status as { replicas?: number } | undefined)?.replicas ?? 0, selector: selectorString(obj) },
  };
}

export async function handleScale(scope: RequestScope): Promise<void> {
  const choice = negotiate(scope.req.headers.accept);
  const ns = scope.info.namespace || undefined;
  const name = scope.info.name;
  if (scope.info.verb === 'get') {
    writeObject(scope.res, 200, scaleOf(await scope.store.get(ns, name)), choice);
    return;
  }
  const raw = await readRawBody(scope.req);
  let desired: (current: KubeObject) => KubeObject;
  let dryRun: boolean;
  if (scope.info.verb === 'update') {
    const opts = writeOptionsOf(scope.query, 'UpdateOptions');
    dryRun = opts.dryRun;
    const { object } = decodeBodyAs(scope.entry, raw, mediaType(scope.req), opts.fieldValidation, scaleKind);
    desired = () => object;
  } else {
    const type = patchTypeOf(mediaType(scope.req));
    dryRun = writeOptionsOf(scope.query, 'PatchOptions', type === 'apply').dryRun;
    const patch = decodePatchBody(raw, type);
    desired = (current) => applyPatch(type === 'strategic' ? 'merge' : type, scaleOf(current), patch, scaleKind) as KubeObject;
  }
  const { object } = await scope.store.update(ns, name, (current) => {
    if (!current) throw apierrors.notFound(scope.entry.group, scope.entry.plural, name);
    const scale = desired(current);
    const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw apierrors.invalid('autoscaling', 'Scale', name, [apierrors.field.invalid('spec.replicas', replicas ?? null, 'must be greater than or equal to 0')]);
    }
    const rv = scale.metadata?.resourceVersion;
    const next: KubeObject = { ...current, spec: { ...(current.spec as object), replicas } };
    next.metadata = { ...current.metadata, resourceVersion: rv && scope.info.verb === 'update' ? rv : undefined };
    return next;
  }, { dryRun, subresource: 'scale', admission: scope.admission(name, dryRun) });
  writeObject(scope.res, 200, scaleOf(object), choice);
}

/** POST pods/<name>/binding or POST bindings: assign a node to a pod exactly once. */
export async function handleBinding(scope: RequestScope, pods: RequestScope['store']): Promise<void> {
  const choice = negotiate(scope.req.headers.accept);
  const raw = await readRawBody(scope.req);
  const { dryRun } = writeOptionsOf(scope.query, 'CreateOptions');
  const bindingEntry = { group: '', version: 'v1', kind: 'Binding' };
  const { object: binding } = decodeBodyAs(scope.entry, raw, mediaType(scope.req), 'Ignore', bindingEntry);
  const ns = scope.info.namespace;
  const name = scope.info.subresource ? scope.info.name : (binding.metadata.name ?? '');
  const target = binding.target as { kind?: string; name?: string } | undefined;
  if (!target?.name) {
    throw apierrors.invalid('', 'Binding', name, [apierrors.field.required('target.name')]);
  }
  if (target.kind && target.kind !== 'Node') {
    throw apierrors.invalid('', 'Binding', name, [apierrors.field.notSupported('target.kind', target.kind, ['Node', '<empty>'])]);
  }
  await pods.update(ns, name, (current) => {
    if (!current) throw apierrors.notFound('', 'pods', name);
    const spec = (current.spec ?? {}) as { nodeName?: string };
    if (current.metadata.deletionTimestamp) {
      throw apierrors.conflict('', 'pods/binding', name, `pod ${name} is being deleted, cannot be assigned to a host`);
    }
    if (spec.nodeName) {
      throw apierrors.conflict('', 'pods/binding', name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    }
    const next: KubeObject = { ...current, spec: { ...spec, nodeName: target.name } };
    const status = (current.status ?? {}) as { conditions?: Record<string, unknown>[] };
    const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') });
    next.status = { ...status, conditions };
    next.metadata = { ...current.metadata, resourceVersion: undefined };
    return next;
  }, { dryRun, bypassStrategy: true });
  writeObject(scope.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, choice);
}

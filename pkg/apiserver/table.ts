/** Wraps printer output into meta.k8s.io/v1 Table objects (and PartialObjectMetadata transforms). */
import type { KubeObject, ListMeta } from '../api/index.ts';
import * as apierrors from '../apierrors/index.ts';
import { printTable } from '../printers/index.ts';
import type { MediaChoice } from './negotiation.ts';
import type { RequestScope } from './scope.ts';

export function supportsAs(c: MediaChoice): boolean {
  if (c.encoding === 'protobuf') return false;
  if (c.group !== 'meta.k8s.io' || (c.version !== 'v1' && c.version !== 'v1beta1')) return false;
  return c.as === 'Table' || c.as === 'PartialObjectMetadata' || c.as === 'PartialObjectMetadataList';
}

function partial(obj: KubeObject, version: string): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

function withTypeMeta(obj: KubeObject, scope: RequestScope): KubeObject {
  if (obj.kind && obj.apiVersion) return obj;
  const { group, version, kind } = scope.entry;
  return { ...obj, apiVersion: group ? `${group}/${version}` : version, kind };
}

export function toTable(scope: RequestScope, objects: KubeObject[], meta: ListMeta, choice: MediaChoice,
  withColumns = true): Record<string, unknown> {
  const include = scope.query.get('includeObject') || 'Metadata';
  if (!['None', 'Metadata', 'Object'].includes(include)) {
    throw apierrors.badRequest(`includeObject: unsupported value "${include}"`);
  }
  const parts = printTable(scope.entry.group, scope.entry.plural, objects, scope.now());
  const rows = parts.rows.map((r) => {
    const obj = objects[r.objectIndex]!;
    const row: Record<string, unknown> = { cells: r.cells };
    // A full object is embedded whole, kind and apiVersion included (list items carry neither):
    // kubectl decodes it, e.g. for --sort-by.
    if (include === 'Object') row.object = withTypeMeta(obj, scope);
    else if (include === 'Metadata') row.object = partial(obj, choice.version ?? 'v1');
    return row;
  });
  return {
    kind: 'Table', apiVersion: `meta.k8s.io/${choice.version ?? 'v1'}`, metadata: meta,
    columnDefinitions: withColumns ? parts.columnDefinitions : null, rows,
  };
}

/** Applies the `as` transformation of one object (get) or a list. */
export function transformObject(scope: RequestScope, obj: KubeObject, choice: MediaChoice): unknown {
  if (choice.as === 'Table') return toTable(scope, [obj], { resourceVersion: obj.metadata.resourceVersion }, choice);
  if (choice.as === 'PartialObjectMetadata') return partial(obj, choice.version ?? 'v1');
  return obj;
}

export function transformList(scope: RequestScope, list: { items: KubeObject[]; metadata: ListMeta }, full: unknown,
  choice: MediaChoice): unknown {
  if (choice.as === 'Table') return toTable(scope, list.items, list.metadata, choice);
  if (choice.as === 'PartialObjectMetadataList' || choice.as === 'PartialObjectMetadata') {
    return {
      kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${choice.version ?? 'v1'}`, metadata: list.metadata,
      items: list.items.map((o) => partial(o, choice.version ?? 'v1')),
    };
  }
  return full;
}

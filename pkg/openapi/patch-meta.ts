/**
 * Strategic-merge-patch metadata read from the schemas: which lists merge by which key, which
 * fields use `retainKeys`, and the server-side-apply list types. A node describes one field;
 * `child` walks into an object's field, or into the elements of a list or the values of a map.
 */
import { definitionNameFor, resolve, type Schema } from './schema.ts';

export interface PatchMeta {
  /** `x-kubernetes-patch-merge-key`: the field that identifies list elements (`name`). */
  mergeKey?: string;
  /** `x-kubernetes-patch-strategy` split on commas: `merge`, `retainKeys`. */
  strategies: string[];
  /** `x-kubernetes-list-type`: `atomic`, `set` or `map`. */
  listType?: string;
  /** `x-kubernetes-list-map-keys`. */
  listMapKeys?: string[];
  /** The schema of this field's value, for callers that need more. */
  schema: Schema;
  /** The metadata of a named field below this one; undefined if the schema does not declare it. */
  child(name: string): PatchMeta | undefined;
}

function node(fieldSchema: Schema): PatchMeta {
  return {
    mergeKey: fieldSchema['x-kubernetes-patch-merge-key'],
    strategies: fieldSchema['x-kubernetes-patch-strategy']?.split(',') ?? [],
    listType: fieldSchema['x-kubernetes-list-type'],
    listMapKeys: fieldSchema['x-kubernetes-list-map-keys'],
    schema: fieldSchema,
    child(name: string): PatchMeta | undefined {
      let s = resolve(fieldSchema).schema;
      // Lists and maps are transparent: a field name applies to their elements.
      if (s.items) s = resolve(s.items).schema;
      else if (!s.properties && s.additionalProperties) s = resolve(s.additionalProperties).schema;
      const sub = s.properties?.[name];
      return sub ? node(sub) : undefined;
    },
  };
}

/**
 * The root patch metadata of a kind (`patchMetaFor('apps', 'v1', 'Deployment')
 * ?.child('spec')?.child('template')?.child('spec')?.child('containers')` has mergeKey `name`),
 * or undefined when the kind has no schema.
 */
export function patchMetaFor(group: string, version: string, kind: string): PatchMeta | undefined {
  const name = definitionNameFor(group, version, kind);
  return name ? node({ $ref: `#/definitions/${name}` }) : undefined;
}

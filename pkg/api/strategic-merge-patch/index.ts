/**
 * Strategic merge patch, the patch kubectl apply/edit/patch/set/rollout send for built-in kinds.
 * Semantics follow k8s.io/apimachinery/pkg/util/strategicpatch (patch.go): maps merge key by key
 * (null deletes), lists with patch strategy "merge" merge by their merge key (or as sets for
 * primitives), other lists are replaced; the directives $patch (replace|delete|merge),
 * $retainKeys, $setElementOrder/<field> and $deleteFromPrimitiveList/<field> are honoured.
 * The metadata comes from the OpenAPI schemas through a small `PatchSchema` interface, so this
 * module does no I/O and knows no kinds.
 */
import { isRecord } from '../types.ts';
import { badRequest } from '../../apierrors/index.ts';

/** What the patcher needs to know about one field. */
export interface PatchSchema {
  mergeKey?: string;
  strategies: string[];
  child(name: string): PatchSchema | undefined;
}

const directive = '$patch';
const retainKeys = '$retainKeys';
const setOrderPrefix = '$setElementOrder/';
const deleteFromPrimitivePrefix = '$deleteFromPrimitiveList/';

type Json = unknown;

export function strategicMergePatch(original: Json, patch: Json, schema: PatchSchema | undefined): Json {
  if (!isRecord(patch)) throw badRequest('unable to find api field in struct for the patch: patch must be a JSON object');
  return mergeMap(isRecord(original) ? original : {}, patch, schema);
}

function mergeMap(original: Record<string, Json>, patch: Record<string, Json>, schema: PatchSchema | undefined): Record<string, Json> {
  const mode = patch[directive];
  if (mode === 'replace') {
    const { [directive]: _d, ...rest } = patch;
    return stripDirectives(rest) as Record<string, Json>;
  }
  if (mode !== undefined && mode !== 'merge' && mode !== 'delete') {
    throw badRequest(`Unknown patch type: ${String(mode)}`);
  }
  const out: Record<string, Json> = { ...original };
  const orders: Record<string, Json[]> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === directive || key === retainKeys) continue;
    if (key.startsWith(setOrderPrefix)) {
      if (Array.isArray(value)) orders[key.slice(setOrderPrefix.length)] = value;
      continue;
    }
    if (key.startsWith(deleteFromPrimitivePrefix)) {
      const field = key.slice(deleteFromPrimitivePrefix.length);
      const current = out[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        const gone = new Set(value.map((v) => JSON.stringify(v)));
        out[field] = current.filter((v) => !gone.has(JSON.stringify(v)));
      }
      continue;
    }
    if (value === null) { delete out[key]; continue; }
    const fieldSchema = schema?.child(key);
    out[key] = mergeValue(out[key], value, fieldSchema);
    if (isRecord(out[key]) && (out[key] as Record<string, Json>)[directive] === 'delete') delete out[key];
  }
  for (const [field, order] of Object.entries(orders)) {
    const list = out[field];
    if (Array.isArray(list)) out[field] = applyOrder(list, order, schema?.child(field)?.mergeKey);
  }
  if (Array.isArray(patch[retainKeys])) {
    const keep = new Set((patch[retainKeys] as Json[]).map(String));
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

function mergeValue(original: Json, patch: Json, schema: PatchSchema | undefined): Json {
  if (isRecord(patch)) {
    if (patch[directive] === 'delete') return { [directive]: 'delete' };
    return mergeMap(isRecord(original) ? original : {}, patch, schema);
  }
  if (Array.isArray(patch)) {
    if (!schema || !schema.strategies.includes('merge') || !Array.isArray(original)) return stripDirectives(patch);
    return mergeList(original, patch, schema);
  }
  return patch;
}

function mergeList(original: Json[], patch: Json[], schema: PatchSchema): Json[] {
  if (patch.some((p) => isRecord(p) && p[directive] === 'replace')) {
    return stripDirectives(patch.filter((p) => !(isRecord(p) && p[directive] === 'replace'))) as Json[];
  }
  const key = schema.mergeKey;
  if (!key) {
    // A merging list of primitives is a set: add what is new.
    const seen = new Set(original.map((v) => JSON.stringify(v)));
    const out = [...original];
    for (const v of patch) if (!seen.has(JSON.stringify(v))) { out.push(v); seen.add(JSON.stringify(v)); }
    return enforceOrder(out, patch, original, (v) => JSON.stringify(v));
  }
  const out = [...original];
  for (const item of patch) {
    if (!isRecord(item)) throw badRequest(`merging an object in a list requires a map, got ${JSON.stringify(item)}`);
    if (!(key in item)) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    const idx = out.findIndex((o) => isRecord(o) && JSON.stringify(o[key]) === JSON.stringify(item[key]));
    if (item[directive] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = mergeMap(out[idx] as Record<string, Json>, item, schema);
    else out.push(stripDirectives(item));
  }
  return enforceOrder(out, patch, original, (v) => JSON.stringify(isRecord(v) ? v[key] : v));
}

/**
 * The order of a merged list, as upstream's mergeSlice leaves it (normalizeElementOrder): items the
 * patch names keep the patch's order, the others the live order, and the two are interleaved by their
 * live positions; an item new to the list goes before the live item it is compared with, so
 * `[httpd]` patched with `[test-rs]` becomes `[test-rs, httpd]`.
 */
function enforceOrder(merged: Json[], patch: Json[], original: Json[], id: (v: Json) => string): Json[] {
  const patchRank = new Map<string, number>();
  patch.forEach((p, i) => { if (!patchRank.has(id(p))) patchRank.set(id(p), i); });
  const liveRank = new Map<string, number>();
  original.forEach((o, i) => { if (!liveRank.has(id(o))) liveRank.set(id(o), i); });
  const fromPatch = merged.filter((v) => patchRank.has(id(v))).sort((a, b) => patchRank.get(id(a))! - patchRank.get(id(b))!);
  const liveOnly = merged.filter((v) => !patchRank.has(id(v))).sort((a, b) => (liveRank.get(id(a)) ?? 0) - (liveRank.get(id(b)) ?? 0));
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < liveOnly.length || j < fromPatch.length) {
    if (j >= fromPatch.length) out.push(liveOnly[i++]!);
    else if (i >= liveOnly.length) out.push(fromPatch[j++]!);
    else {
      const li = liveRank.get(id(liveOnly[i]!));
      const ri = liveRank.get(id(fromPatch[j]!));
      if (li !== undefined && ri !== undefined && li < ri) out.push(liveOnly[i++]!);
      else out.push(fromPatch[j++]!);
    }
  }
  return out;
}

/** $setElementOrder: items named in `order` come first in that order; the rest keep their places after. */
function applyOrder(list: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const id = (v: Json) => JSON.stringify(mergeKey && isRecord(v) ? v[mergeKey] : v);
  const rank = new Map(order.map((o, i) => [id(o), i]));
  const ranked = list.filter((v) => rank.has(id(v))).sort((a, b) => rank.get(id(a))! - rank.get(id(b))!);
  const rest = list.filter((v) => !rank.has(id(v)));
  return [...ranked, ...rest];
}

function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isRecord(value)) return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === directive || k === retainKeys || k.startsWith(setOrderPrefix) || k.startsWith(deleteFromPrimitivePrefix)) continue;
    out[k] = stripDirectives(v);
  }
  return out;
}

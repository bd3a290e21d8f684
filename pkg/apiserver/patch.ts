/** Applies JSON patch (RFC 6902), JSON merge patch (RFC 7386) and strategic merge patch to a JSON object. */
import jsonpatch from 'fast-json-patch';
import { isRecord } from '../api/index.ts';
import * as apierrors from '../apierrors/index.ts';
import { strategicMergePatch } from '../api/strategic-merge-patch/index.ts';
import { patchMetaFor } from '../openapi/index.ts';
import type { PatchType } from './body.ts';

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const out: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) {
    throw apierrors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  try {
    return jsonpatch.applyPatch(structuredClone(target), patch as jsonpatch.Operation[], true, false).newDocument;
  } catch {
    // patch.go wraps any apply failure in NewGenericServerResponse(422): fixed message, empty details.
    throw new apierrors.StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  }
}

export function applyPatch(kind: PatchType, target: unknown, patch: unknown, gvk: { group: string; version: string; kind: string }): unknown {
  switch (kind) {
    case 'json': return applyJsonPatch(target, patch);
    case 'merge':
      if (!isRecord(patch)) throw apierrors.badRequest('json: cannot unmarshal into Go value of type map[string]interface {}');
      return mergePatch(target, patch);
    case 'strategic':
      if (!isRecord(patch)) throw apierrors.badRequest('json: cannot unmarshal into Go value of type map[string]interface {}');
      return strategicMergePatch(target, patch, patchMetaFor(gvk.group, gvk.version, gvk.kind));
    case 'apply':
      throw apierrors.unsupportedMediaType('application/apply-patch+yaml');
  }
}

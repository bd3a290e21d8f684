/** Applies JSON patch (RFC 6902), JSON merge patch (RFC 7386) and strategic merge patch to a JSON object. */
import jsonpatch from 'fast-json-patch';
import { isRecord } from '../api/index.ts';
import * as apierrors from '../apierrors/index.ts';
import { strategicMergePatch } from '../api/strategic-merge-patch/index.ts';
import { patchMetaFor } from '../openapi/index.ts';
import type { PatchType } from './body.ts';
import { cloneJson, nestingDepthError, type FieldValidation } from './decode-object.ts';

/** patch.go maxJSONPatchOperations: more operations than this is a 413. */
export const maxJSONPatchOperations = 10000;

/**
 * The apiserver's JSONPatchMaxCopyBytes default (server/config.go NewConfig, 3 MiB), which
 * GenericAPIServer.New copies into json-patch's AccumulatedCopySizeLimit: the bytes all "copy"
 * operations of one patch may add, counted as the JSON encoding of each copied value.
 */
export const jsonPatchMaxCopyBytes = 3 * 1024 * 1024;

/**
 * RFC 7386: objects merge recursively, null deletes, anything else replaces. Done with an explicit
 * stack, as a patch may nest 10,000 deep.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const root: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  const stack: [Record<string, unknown>, Record<string, unknown>][] = [[root, patch]];
  while (stack.length > 0) {
    const [out, p] = stack.pop()!;
    for (const [k, v] of Object.entries(p)) {
      if (v === null) {
        delete out[k];
      } else if (isRecord(v)) {
        const cur = out[k];
        const merged: Record<string, unknown> = isRecord(cur) ? { ...cur } : {};
        out[k] = merged;
        stack.push([merged, v]);
      } else {
        out[k] = v;
      }
    }
  }
  return root;
}

/**
 * Bytes of the compact JSON encoding of `value`, counted iteratively; stops once past `budget`
 * (the answer is then some number above it), so a huge value costs no more than the budget.
 */
export function encodedSizeUpTo(value: unknown, budget: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && size <= budget) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      size += 2 + Math.max(0, v.length - 1);
      for (const c of v) stack.push(c);
    } else if (isRecord(v)) {
      const keys = Object.keys(v);
      size += 2 + Math.max(0, keys.length - 1);
      for (const k of keys) {
        size += Buffer.byteLength(JSON.stringify(k)) + 1;
        stack.push(v[k]);
      }
    } else if (typeof v === 'string') {
      size += Buffer.byteLength(JSON.stringify(v));
    } else {
      size += String(v).length;
    }
  }
  return size;
}

function valueAt(doc: unknown, pointer: string): unknown {
  try {
    return jsonpatch.getValueByPointer(doc, pointer);
  } catch {
    return undefined;
  }
}

export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) {
    throw apierrors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  if (patch.length > maxJSONPatchOperations) {
    throw apierrors.requestEntityTooLargeMessage(
      `The allowed maximum operations in a JSON patch is ${maxJSONPatchOperations}, got ${patch.length}`);
  }
  // patch.go wraps any apply failure in NewGenericServerResponse(422): fixed message, empty details.
  let doc: unknown = cloneJson(target);
  let copied = 0;
  try {
    for (let i = 0; i < patch.length; i++) {
      const op = patch[i] as jsonpatch.Operation;
      if (isRecord(op) && op.op === 'copy' && typeof op.from === 'string') {
        // json-patch's copy counts the copied value before adding it, and fails past the limit: so the
        // work a patch can make is bounded by the limit, not by how often it doubles a value.
        const value = valueAt(doc, op.from);
        if (value !== undefined) copied += encodedSizeUpTo(value, jsonPatchMaxCopyBytes - copied);
        if (copied > jsonPatchMaxCopyBytes) throw apierrors.patchNotApplied();
      }
      doc = jsonpatch.applyOperation(doc, op, true, true, true, i).newDocument;
    }
  } catch {
    throw apierrors.patchNotApplied();
  }
  // Decoding the result scans it like any body; upstream's 422 then quotes the whole patched document,
  // which we do not: a document this deep cannot even be encoded here.
  if (nestingDepthError(doc)) throw apierrors.patchNotApplied();
  return doc;
}

/**
 * A patch document nested deeper than encoding/json allows fails as patch.go decodes it, before any
 * work: JSON and merge patches through kjson.UnmarshalStrict ("error decoding patch: …") when fields
 * are validated, else through json-patch's decoder (the scanner's error for a JSON patch, its
 * ErrBadJSONPatch for a merge patch); a strategic merge patch through kjson in either case.
 */
function checkPatchDepth(kind: PatchType, patch: unknown, validation: FieldValidation): void {
  const err = nestingDepthError(patch);
  if (!err) return;
  if (kind === 'strategic' || kind === 'apply') throw apierrors.badRequest(err);
  if (validation !== 'Ignore') throw apierrors.badRequest(`error decoding patch: ${err}`);
  throw apierrors.badRequest(kind === 'merge' ? 'Invalid JSON Patch' : err);
}

export function applyPatch(kind: PatchType, target: unknown, patch: unknown, gvk: { group: string; version: string; kind: string },
  validation: FieldValidation = 'Warn'): unknown {
  checkPatchDepth(kind, patch, validation);
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

/** create, update (PUT) and patch: one implementation for every resource and subresource. */
import type { KubeObject } from '../../api/index.ts';
import * as apierrors from '../../apierrors/index.ts';
import { decodePatchBody, mediaType, patchTypeOf, readRawBody } from '../body.ts';
import { checkDecoded, decodeBodyAs } from '../decode-object.ts';
import { negotiate, writeObject } from '../negotiation.ts';
import { applyPatch } from '../patch.ts';
import { supportsAs, transformObject } from '../table.ts';
import type { RequestScope } from '../scope.ts';
import { writeOptionsOf } from '../request-options.ts';
import { createdObjectJson } from '../../registry/generic/store.ts';

function setWarnings(scope: RequestScope, warnings: string[]): void {
  if (warnings.length) scope.res.setHeader('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
}

function checkUrlNamespace(scope: RequestScope, obj: KubeObject): void {
  const ns = obj.metadata.namespace;
  if (scope.entry.namespaced && ns && scope.info.namespace && ns !== scope.info.namespace) {
    throw apierrors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

export async function handleCreate(scope: RequestScope): Promise<void> {
  const choice = negotiate(scope.req.headers.accept, supportsAs);
  const raw = await readRawBody(scope.req);
  const opts = writeOptionsOf(scope.query, 'CreateOptions');
  const { object, warnings } = decodeBodyAs(scope.entry, raw, mediaType(scope.req), opts.fieldValidation);
  checkUrlNamespace(scope, object);
  if (scope.entry.namespaced && !scope.info.namespace) throw apierrors.pathNotFound();
  const created = await scope.store.create(scope.info.namespace || undefined, object,
    { dryRun: opts.dryRun, admission: scope.admission(object.metadata.name ?? '', opts.dryRun), user: scope.user });
  setWarnings(scope, warnings);
  const body = transformObject(scope, created, choice);
  writeObject(scope.res, 201, body, choice, body === created ? createdObjectJson(created) : undefined);
}

export async function handleUpdate(scope: RequestScope): Promise<void> {
  const choice = negotiate(scope.req.headers.accept, supportsAs);
  const raw = await readRawBody(scope.req);
  const opts = writeOptionsOf(scope.query, 'UpdateOptions');
  const { object, warnings } = decodeBodyAs(scope.entry, raw, mediaType(scope.req), opts.fieldValidation);
  checkUrlNamespace(scope, object);
  if (!object.metadata.name) {
    // rest.go checkName: ObjectName fails on an empty name before names are compared.
    throw apierrors.badRequest(`the name of the object (${scope.info.name} based on URL) was undeterminable: name must be provided`);
  }
  const e = scope.entry;
  const { object: updated, created } = await scope.store.update(scope.info.namespace || undefined, scope.info.name,
    (current) => {
      // A uid in the body is a precondition (DefaultUpdatedObjectInfo.Preconditions).
      const uid = object.metadata.uid;
      if (current && uid && uid !== current.metadata.uid) {
        throw apierrors.conflict(e.group, e.plural, scope.info.name,
          `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid ?? ''}`);
      }
      return object;
    }, { dryRun: opts.dryRun, subresource: scope.info.subresource || undefined, admission: scope.admission(scope.info.name, opts.dryRun), user: scope.user });
  setWarnings(scope, warnings);
  writeObject(scope.res, created ? 201 : 200, transformObject(scope, updated, choice), choice);
}

export async function handlePatch(scope: RequestScope): Promise<void> {
  const choice = negotiate(scope.req.headers.accept, supportsAs);
  const type = patchTypeOf(mediaType(scope.req));
  const raw = await readRawBody(scope.req);
  const opts = writeOptionsOf(scope.query, 'PatchOptions', type === 'apply');
  const patch = decodePatchBody(raw, type);
  const validation = opts.fieldValidation;
  let warnings: string[] = [];
  const e = scope.entry;
  const { object: updated } = await scope.store.update(scope.info.namespace || undefined, scope.info.name, (current) => {
    if (!current) throw apierrors.notFound(e.group, e.plural, scope.info.name);
    const pinnedRv = current.metadata.resourceVersion;
    const patched = applyPatch(type, current, patch, e, validation) as KubeObject;
    if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) {
      throw apierrors.badRequest('the patch did not produce an object');
    }
    patched.metadata ??= {};
    // A patch that does not name a resourceVersion applies to whatever is current (with retries).
    if (patched.metadata.resourceVersion === pinnedRv && !hasRvInPatch(patch)) delete patched.metadata.resourceVersion;
    warnings = checkDecoded(e, patched, validation);
    return patched;
  }, { dryRun: opts.dryRun, subresource: scope.info.subresource || undefined, admission: scope.admission(scope.info.name, opts.dryRun), user: scope.user });
  setWarnings(scope, warnings);
  writeObject(scope.res, 200, transformObject(scope, updated, choice), choice);
}

function hasRvInPatch(patch: unknown): boolean {
  if (Array.isArray(patch)) return patch.some((op) => typeof op === 'object' && op !== null && String((op as { path?: unknown }).path).startsWith('/metadata/resourceVersion'));
  const meta = (patch as { metadata?: { resourceVersion?: unknown } } | null)?.metadata;
  return meta?.resourceVersion !== undefined && meta.resourceVersion !== null;
}

/** delete and deletecollection, with DeleteOptions from the body or the query. */
import { isRecord } from '../../api/index.ts';
import * as apierrors from '../../apierrors/index.ts';
import type { DeleteOptions } from '../../registry/generic/store.ts';
import { mediaType, readRawBody } from '../body.ts';
import { decodeObjectBody } from '../body.ts';
import { listOptionsOf } from '../list-options.ts';
import { negotiate, writeObject } from '../negotiation.ts';
import { supportsAs, transformList, transformObject } from '../table.ts';
import type { RequestScope } from '../scope.ts';
import { dryRunError, queryBool, queryInt64 } from '../request-options.ts';

/** The values ValidateDeleteOptions lists, in its order ("nil" for unset). */
const policies = ['Foreground', 'Background', 'Orphan'] as const;

/** DeleteOptions from the query, converted as the ParameterCodec does (400 on a bad number). */
function deleteOptionsFromQuery(q: URLSearchParams): Record<string, unknown> {
  const opts: Record<string, unknown> = {
    gracePeriodSeconds: queryInt64(q, 'gracePeriodSeconds'),
    orphanDependents: queryBool(q, 'orphanDependents'),
    propagationPolicy: q.get('propagationPolicy') ?? undefined,
  };
  if (q.has('dryRun')) opts.dryRun = q.getAll('dryRun');
  return opts;
}

/**
 * DeleteOptions from the body when there is one, else from the query (delete.go), then
 * ValidateDeleteOptions: every problem in one 422.
 */
async function deleteOptionsOf(scope: RequestScope): Promise<DeleteOptions> {
  const raw = await readRawBody(scope.req);
  let body: Record<string, unknown>;
  if (raw.length > 0) {
    const decoded = decodeObjectBody(raw, mediaType(scope.req));
    if (!isRecord(decoded)) throw apierrors.badRequest('DeleteOptions must be an object');
    body = decoded;
  } else {
    body = deleteOptionsFromQuery(scope.query);
  }
  const grace = typeof body.gracePeriodSeconds === 'number' ? body.gracePeriodSeconds : undefined;
  let policy = typeof body.propagationPolicy === 'string' ? body.propagationPolicy : undefined;
  const orphan = typeof body.orphanDependents === 'boolean' ? body.orphanDependents : undefined;
  const dryRunValues = Array.isArray(body.dryRun) ? body.dryRun.map(String) : [];
  const errs: apierrors.FieldError[] = [];
  if (orphan !== undefined && policy !== undefined) {
    errs.push(apierrors.field.invalid('propagationPolicy', policy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (policy !== undefined && !(policies as readonly string[]).includes(policy)) {
    errs.push(apierrors.field.notSupported('propagationPolicy', policy, [...policies, 'nil']));
  }
  const dryRunErr = dryRunError(dryRunValues);
  if (dryRunErr) errs.push(dryRunErr);
  if (errs.length > 0) throw apierrors.invalid('meta.k8s.io', 'DeleteOptions', '', errs);
  if (policy === undefined && orphan === true) policy = 'Orphan';
  if (grace !== undefined && grace < 0) {
    throw apierrors.invalid('meta.k8s.io', 'DeleteOptions', '', [apierrors.field.invalid('gracePeriodSeconds', grace, 'must be greater than or equal to 0')]);
  }
  const pre = isRecord(body.preconditions) ? body.preconditions : undefined;
  return {
    dryRun: dryRunValues.length > 0, gracePeriodSeconds: grace, propagationPolicy: policy as DeleteOptions['propagationPolicy'],
    preconditions: pre ? { uid: pre.uid as string | undefined, resourceVersion: pre.resourceVersion as string | undefined } : undefined,
  };
}

export async function handleDelete(scope: RequestScope): Promise<void> {
  const choice = negotiate(scope.req.headers.accept, supportsAs);
  const opts = await deleteOptionsOf(scope);
  const e = scope.entry;
  const result = await scope.store.delete(scope.info.namespace || undefined, scope.info.name,
    { ...opts, admission: scope.admission(scope.info.name, opts.dryRun ?? false) });
  if (!result.deleted || scope.store.strategy.returnDeletedObject) {
    writeObject(scope.res, 200, transformObject(scope, result.object, choice), choice);
    return;
  }
  writeObject(scope.res, 200, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
    details: { name: scope.info.name, group: e.group || undefined, kind: e.plural, uid: result.object.metadata.uid },
  }, { encoding: choice.encoding === 'yaml' ? 'yaml' : 'json' });
}

export async function handleDeleteCollection(scope: RequestScope): Promise<void> {
  const choice = negotiate(scope.req.headers.accept, supportsAs);
  const listOptions = listOptionsOf(scope);
  const opts = await deleteOptionsOf(scope);
  const list = await scope.store.deleteCollection(listOptions, { ...opts, admission: scope.admission('', opts.dryRun ?? false) });
  writeObject(scope.res, 200, transformList(scope, list, list, choice), choice);
}

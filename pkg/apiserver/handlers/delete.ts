/** delete and deletecollection, with DeleteOptions from the body or the query. */
import { isRecord } from '../../api/index.ts';
import * as apierrors from '../../apierrors/index.ts';
import type { DeleteOptions } from '../../registry/generic/store.ts';
import { mediaType, readRawBody } from '../body.ts';
import { decodeObjectBody } from '../body.ts';
import { listOptionsOf } from '../list-options.ts';
import { negotiate, writeObject } from '../negotiation.ts';
import { supportsAs, transformList, transformObject } from '../table.ts';
import { isDryRun, queryInt, type RequestScope } from '../scope.ts';

const policies = ['Orphan', 'Background', 'Foreground'] as const;

async function deleteOptionsOf(scope: RequestScope): Promise<DeleteOptions> {
  const raw = await readRawBody(scope.req);
  let body: Record<string, unknown> = {};
  if (raw.length > 0) {
    const decoded = decodeObjectBody(raw, mediaType(scope.req));
    if (!isRecord(decoded)) throw apierrors.badRequest('DeleteOptions must be an object');
    body = decoded;
  }
  const q = scope.query;
  const grace = queryInt(q, 'gracePeriodSeconds') ?? (typeof body.gracePeriodSeconds === 'number' ? body.gracePeriodSeconds : undefined);
  let policy = (q.get('propagationPolicy') ?? body.propagationPolicy) as string | undefined;
  const orphan = q.get('orphanDependents') ?? body.orphanDependents;
  if (policy && !(policies as readonly string[]).includes(policy)) {
    throw apierrors.invalid('meta.k8s.io', 'DeleteOptions', '', [apierrors.field.notSupported('propagationPolicy', policy, [...policies])]);
  }
  if (orphan !== undefined && orphan !== null && policy) {
    throw apierrors.invalid('meta.k8s.io', 'DeleteOptions', '', [apierrors.field.invalid('propagationPolicy', policy, 'orphanDependents and deletionPropagation cannot be both set')]);
  }
  if (!policy && (orphan === true || orphan === 'true')) policy = 'Orphan';
  if (grace !== undefined && grace < 0) {
    throw apierrors.invalid('meta.k8s.io', 'DeleteOptions', '', [apierrors.field.invalid('gracePeriodSeconds', grace, 'must be greater than or equal to 0')]);
  }
  const pre = isRecord(body.preconditions) ? body.preconditions : undefined;
  const dryRun = isDryRun(scope, Array.isArray(body.dryRun) ? body.dryRun : []);
  return {
    dryRun, gracePeriodSeconds: grace, propagationPolicy: policy as DeleteOptions['propagationPolicy'],
    preconditions: pre ? { uid: pre.uid as string | undefined, resourceVersion: pre.resourceVersion as string | undefined } : undefined,
  };
}

export async function handleDelete(scope: RequestScope): Promise<void> {
  const choice = negotiate(scope.req.headers.accept, supportsAs);
  const opts = await deleteOptionsOf(scope);
  const e = scope.entry;
  const result = await scope.store.delete(scope.info.namespace || undefined, scope.info.name, opts);
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
  const opts = await deleteOptionsOf(scope);
  const list = await scope.store.deleteCollection(listOptionsOf(scope), opts);
  writeObject(scope.res, 200, transformList(scope, list, list, choice), choice);
}

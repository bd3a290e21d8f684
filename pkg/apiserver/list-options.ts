/** Query parameters of list/watch/deletecollection turned into store list options. */
import type { KubeObject } from '../api/index.ts';
import * as apierrors from '../apierrors/index.ts';
import type { FieldError } from '../apierrors/index.ts';
import { parseFieldSelector, parseLabelSelector, checkFieldsSupported } from '../api/selectors/index.ts';
import { supportedFieldSelectors } from '../registry/strategies.ts';
import type { ListOptions } from '../registry/generic/store.ts';
import type { RequestScope } from './scope.ts';
import { queryBool, queryInt64, resourceVersionError } from './request-options.ts';

/** Field values fieldSelector compares: metadata.name/namespace plus the strategy's attributes. */
export function fieldsOf(scope: Pick<RequestScope, 'store'>, obj: KubeObject): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
  if (scope.store.entry.namespaced) fields['metadata.namespace'] = obj.metadata.namespace ?? '';
  return { ...fields, ...(scope.store.strategy.getAttrs?.(obj) ?? {}) };
}

export function buildFilter(scope: RequestScope, extraFieldSelector?: string): ((obj: KubeObject) => boolean) | undefined {
  const q = scope.query;
  const labelText = q.get('labelSelector') ?? '';
  let fieldText = q.get('fieldSelector') ?? '';
  if (extraFieldSelector) fieldText = fieldText ? `${fieldText},${extraFieldSelector}` : extraFieldSelector;
  const labels = labelText ? parseLabelSelector(labelText) : undefined;
  let fields = fieldText ? parseFieldSelector(fieldText) : undefined;
  if (fields) {
    const e = scope.entry;
    const supported = supportedFieldSelectors(e.group, e.plural);
    // Kinds with their own field conversion reject with "field label not supported"; the rest
    // with the default metadata-only message (as the real server's two code paths do).
    const ownConversion = supported.some((f) => !f.startsWith('metadata.'));
    fields = checkFieldsSupported(fields, supported, { rejection: ownConversion ? 'field-label' : 'default-meta' });
  }
  if (!labels && !fields) return undefined;
  return (obj) => (!labels || labels.matches(obj.metadata.labels)) && (!fields || fields.matches(fieldsOf(scope, obj)));
}

/**
 * ListOptions of a list or deletecollection: converted (400 on a number that is not one), validated
 * as ValidateListOptions does (one 422), then the storage layer's own resourceVersion checks.
 */
export function listOptionsOf(scope: RequestScope): ListOptions {
  const q = scope.query;
  const limit = queryInt64(q, 'limit') ?? 0;
  queryInt64(q, 'timeoutSeconds');
  const rvMatch = q.get('resourceVersionMatch') ?? '';
  const rv = q.get('resourceVersion') ?? '';
  const continueToken = q.get('continue') ?? '';
  const errs: FieldError[] = [];
  if (rvMatch) {
    if (!rv) errs.push(apierrors.field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (continueToken) errs.push(apierrors.field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (rvMatch !== 'Exact' && rvMatch !== 'NotOlderThan') {
      errs.push(apierrors.field.notSupported('resourceVersionMatch', rvMatch, ['Exact', 'NotOlderThan', '']));
    }
    if (rvMatch === 'Exact' && rv === '0') {
      errs.push(apierrors.field.forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
  }
  if (q.has('sendInitialEvents')) errs.push(apierrors.field.forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  if (errs.length > 0) throw apierrors.invalid('meta.k8s.io', 'ListOptions', '', errs);
  // The etcd3 store's own check, a plain 400.
  if (continueToken && rv && rv !== '0') {
    throw apierrors.badRequest('specifying resource version is not allowed when using continue');
  }
  const rvErr = resourceVersionError(rv);
  // etcd3's ValidateListOptions answers 400. Upstream's watch cache returns the same parse error
  // unconverted, which ErrorToAPIStatus turns into a 500; bad input never gets a 5xx here, so
  // every list answers etcd3's 400.
  if (rvErr) throw apierrors.badRequest(`invalid resource version: ${rvErr}`);
  return {
    namespace: scope.info.namespace || undefined,
    filter: buildFilter(scope, scope.info.name ? `metadata.name=${scope.info.name}` : undefined),
    limit: limit > 0 ? limit : undefined,
    continueToken: continueToken || undefined,
    resourceVersion: rv || undefined,
    resourceVersionMatch: rvMatch || undefined,
  };
}

/**
 * ListOptions of a watch: converted, then validated as validateWatchOptions does (WatchList on):
 * sendInitialEvents needs resourceVersionMatch=NotOlderThan, and that match needs sendInitialEvents.
 */
export function watchOptionsOf(scope: RequestScope): { resourceVersion: string; timeoutSeconds?: number; sendInitialEvents: boolean; allowWatchBookmarks: boolean } {
  const q = scope.query;
  queryInt64(q, 'limit');
  const timeoutSeconds = queryInt64(q, 'timeoutSeconds');
  const rvMatch = q.get('resourceVersionMatch') ?? '';
  const sendInitialEvents = queryBool(q, 'sendInitialEvents');
  const errs: FieldError[] = [];
  if (sendInitialEvents !== undefined && rvMatch !== 'NotOlderThan') {
    errs.push(apierrors.field.forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
  }
  if (rvMatch) {
    if (sendInitialEvents === undefined) {
      errs.push(apierrors.field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    }
    if (rvMatch !== 'NotOlderThan') errs.push(apierrors.field.notSupported('resourceVersionMatch', rvMatch, ['NotOlderThan']));
    if (q.get('continue')) errs.push(apierrors.field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
  }
  if (errs.length > 0) throw apierrors.invalid('meta.k8s.io', 'ListOptions', '', errs);
  const resourceVersion = q.get('resourceVersion') ?? '';
  // Upstream's watch cache returns this parse error unconverted (a 500); bad input gets the 400 that
  // etcd3's list check gives instead.
  const rvErr = resourceVersionError(resourceVersion);
  if (rvErr) throw apierrors.badRequest(`invalid resource version: ${rvErr}`);
  return {
    resourceVersion, timeoutSeconds, sendInitialEvents: sendInitialEvents ?? false,
    allowWatchBookmarks: queryBool(q, 'allowWatchBookmarks') ?? false,
  };
}

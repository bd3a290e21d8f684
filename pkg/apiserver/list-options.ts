/** Query parameters of list/watch/deletecollection turned into store list options. */
import type { KubeObject } from '../api/index.ts';
import * as apierrors from '../apierrors/index.ts';
import type { FieldError } from '../apierrors/index.ts';
import { parseFieldSelector, parseLabelSelector, checkFieldsSupported } from '../api/selectors/index.ts';
import { supportedFieldSelectors } from '../registry/strategies.ts';
import type { ListOptions } from '../registry/generic/store.ts';
import type { RequestScope } from './scope.ts';
import { queryInt } from './scope.ts';

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

export function listOptionsOf(scope: RequestScope): ListOptions {
  const q = scope.query;
  const limit = queryInt(q, 'limit');
  const rvMatch = q.get('resourceVersionMatch') ?? undefined;
  const rv = q.get('resourceVersion') ?? undefined;
  // metainternalversion/validation ValidateListOptions: all problems in one 422 on ListOptions.
  const errs: FieldError[] = [];
  if (rvMatch && !['Exact', 'NotOlderThan'].includes(rvMatch)) {
    errs.push(apierrors.field.notSupported('resourceVersionMatch', rvMatch, ['Exact', 'NotOlderThan', '']));
  } else if (rvMatch) {
    if (!rv) errs.push(apierrors.field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (q.get('continue')) errs.push(apierrors.field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
  }
  if (rvMatch === 'Exact' && rv === '0') {
    errs.push(apierrors.field.forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (errs.length > 0) throw apierrors.invalid('meta.k8s.io', 'ListOptions', '', errs);
  // The etcd3 store's own check, a plain 400.
  if (q.get('continue') && rv && rv !== '0') {
    throw apierrors.badRequest('specifying resource version is not allowed when using continue');
  }
  if (rv && rv !== '0' && !/^\d+$/.test(rv)) {
    throw apierrors.badRequest(`invalid resource version: ${rv}`);
  }
  return {
    namespace: scope.info.namespace || undefined,
    filter: buildFilter(scope, scope.info.name ? `metadata.name=${scope.info.name}` : undefined),
    limit: limit && limit > 0 ? limit : undefined,
    continueToken: q.get('continue') || undefined,
    resourceVersion: rv,
    resourceVersionMatch: rvMatch,
  };
}

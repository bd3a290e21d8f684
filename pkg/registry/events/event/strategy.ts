/**
 * events.k8s.io/v1 Event strategy: the strict checks ValidateEventCreate/Update apply to this API
 * (pkg/apis/core/validation/events.go), on top of the legacy ones. Error paths keep the internal
 * field names upstream reports (message, firstTimestamp, source…), not the v1 ones.
 */
import type { Event } from 'kubernetes-types/events/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import { invalid, nameIsDNSSubdomain, semanticEqual, validateObjectMeta, validateObjectMetaUpdate } from '../../validation/index.ts';
import { legacyValidateEvent, referenceAttrs } from '../../core/event/strategy.ts';

function legacy(e: Event): FieldError[] {
  return legacyValidateEvent({
    namespace: e.metadata?.namespace ?? '',
    involvedNamespace: e.regarding?.namespace ?? '',
    eventTime: e.eventTime,
    reportingController: e.reportingController ?? '',
    reportingInstance: e.reportingInstance ?? '',
    action: e.action ?? '',
    reason: e.reason ?? '',
    message: e.note ?? '',
  });
}

function validateSeries(e: Event): FieldError[] {
  if (!e.series) return [];
  const errs: FieldError[] = [];
  if ((e.series.count ?? 0) < 2) errs.push(invalid('series.count', '', 'should be at least 2'));
  if (!e.series.lastObservedTime) errs.push(field.required('series.lastObservedTime'));
  return errs;
}

function validateCreate(e: Event): FieldError[] {
  const errs = [...legacy(e), ...validateObjectMeta(e.metadata ?? {}, nameIsDNSSubdomain), ...validateSeries(e)];
  if (!e.eventTime) errs.push(field.required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${e.type ?? ''}`));
  if (e.deprecatedFirstTimestamp) errs.push(invalid('firstTimestamp', '', 'needs to be unset'));
  if (e.deprecatedLastTimestamp) errs.push(invalid('lastTimestamp', '', 'needs to be unset'));
  if (e.deprecatedCount) errs.push(invalid('count', '', 'needs to be unset'));
  if (e.deprecatedSource?.component || e.deprecatedSource?.host) errs.push(invalid('source', '', 'needs to be unset'));
  return errs;
}

/** Everything but the series is immutable; field names are the internal ones, as upstream. */
const immutable: [keyof Event, string][] = [
  ['regarding', 'involvedObject'], ['reason', 'reason'], ['note', 'message'], ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'], ['deprecatedLastTimestamp', 'lastTimestamp'], ['deprecatedCount', 'count'],
  ['type', 'type'], ['eventTime', 'eventTime'], ['action', 'action'], ['related', 'related'],
  ['reportingController', 'reportingController'], ['reportingInstance', 'reportingInstance'],
];

function validateUpdate(e: Event, old: Event): FieldError[] {
  const errs = [...legacy(e), ...validateObjectMetaUpdate(e.metadata ?? {}, old.metadata ?? {})];
  if (!semanticEqual(e.series, old.series)) errs.push(...validateSeries(e));
  for (const [key, path] of immutable) {
    if (!semanticEqual(e[key], old[key])) {
      const v = e[key];
      errs.push(invalid(path, typeof v === 'object' ? JSON.stringify(v) : v ?? '', 'field is immutable'));
    }
  }
  return errs;
}

export const eventsV1Strategy: Strategy = {
  allowCreateOnUpdate: true,
  validate: (obj) => validateCreate(obj as unknown as Event),
  validateUpdate: (obj, old) => validateUpdate(obj as unknown as Event, old as unknown as Event),
  canonicalize(obj) {
    const e = obj as Record<string, unknown>;
    for (const k of ['deprecatedFirstTimestamp', 'deprecatedLastTimestamp']) if (e[k] === undefined) e[k] = null;
    if (e.deprecatedSource === undefined) e.deprecatedSource = {};
  },
  getAttrs(obj) {
    const e = obj as unknown as Event;
    return {
      ...referenceAttrs('regarding', e.regarding),
      reason: e.reason ?? '',
      reportingController: e.reportingController ?? '',
      source: e.deprecatedSource?.component || e.reportingController || '',
      type: e.type ?? '',
    };
  },
};

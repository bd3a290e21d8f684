/**
 * core/v1 Event strategy, after pkg/registry/core/event/strategy.go and the legacy checks of
 * pkg/apis/core/validation/events.go: the event's namespace must match its involved object's,
 * and "new" events (with eventTime) need reportingController, reportingInstance, action, reason.
 */
import type { Event, ObjectReference } from 'kubernetes-types/core/v1.js';
import { field, type FieldError } from '../../../apierrors/index.ts';
import type { Strategy } from '../../generic/strategy.ts';
import {
  invalid, isDNS1123Subdomain, isQualifiedName, validateObjectMeta, validateObjectMetaUpdate, validatePathSegmentName,
} from '../../validation/index.ts';

/** The field values `legacyValidateEvent` reads, whichever API version stored the event. */
export interface EventFields {
  namespace: string;
  involvedNamespace: string;
  eventTime: unknown;
  reportingController: string;
  reportingInstance: string;
  action: string;
  reason: string;
  message: string;
}

function tooLong(path: string, limit: number): FieldError {
  return invalid(path, '', `can have at most ${limit} characters`);
}

/** legacyValidateEvent; paths use the internal (core) field names, as upstream reports them. */
export function legacyValidateEvent(e: EventFields): FieldError[] {
  const errs: FieldError[] = [];
  const mismatch = (): FieldError => invalid('involvedObject.namespace', e.involvedNamespace, 'does not match event.namespace');
  if (!e.eventTime) {
    if (!e.involvedNamespace) {
      if (e.namespace !== '' && e.namespace !== 'default') errs.push(mismatch());
    } else if (e.namespace !== e.involvedNamespace) {
      errs.push(mismatch());
    }
  } else {
    if (!e.involvedNamespace && e.namespace !== 'default' && e.namespace !== 'kube-system') errs.push(mismatch());
    if (!e.reportingController) errs.push(field.required('reportingController'));
    errs.push(...isQualifiedName(e.reportingController).map((m) => invalid('reportingController', e.reportingController, m)));
    if (!e.reportingInstance) errs.push(field.required('reportingInstance'));
    if (e.reportingInstance.length > 128) errs.push(tooLong('reportingInstance', 128));
    if (!e.action) errs.push(field.required('action'));
    if (e.action.length > 128) errs.push(tooLong('action', 128));
    if (!e.reason) errs.push(field.required('reason'));
    if (e.reason.length > 128) errs.push(tooLong('reason', 128));
    if (e.message.length > 1024) errs.push(tooLong('message', 1024));
  }
  errs.push(...isDNS1123Subdomain(e.namespace).map((m) => invalid('namespace', e.namespace, m)));
  return errs;
}

function fieldsOf(e: Event): EventFields {
  return {
    namespace: e.metadata?.namespace ?? '',
    involvedNamespace: e.involvedObject?.namespace ?? '',
    eventTime: e.eventTime,
    reportingController: e.reportingComponent ?? '',
    reportingInstance: e.reportingInstance ?? '',
    action: e.action ?? '',
    reason: e.reason ?? '',
    message: e.message ?? '',
  };
}

const referenceFields = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;

/** Field-selector attributes of the event's object reference, under `prefix` (involvedObject or regarding). */
export function referenceAttrs(prefix: string, ref: ObjectReference | undefined): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const k of referenceFields) attrs[`${prefix}.${k}`] = ref?.[k] ?? '';
  return attrs;
}

function validateEvent(obj: Event): FieldError[] {
  // Every stored object passes the generic path-segment name check (rest.BeforeCreate).
  return [...legacyValidateEvent(fieldsOf(obj)), ...validateObjectMeta(obj.metadata ?? {}, validatePathSegmentName)];
}

export const eventStrategy: Strategy = {
  allowCreateOnUpdate: true,
  validate: (obj) => validateEvent(obj as unknown as Event),
  validateUpdate: (obj, old) => [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateEvent(obj as unknown as Event)],
  canonicalize(obj) {
    // Zero metav1.Time values and non-omitempty strings, as the real server prints them.
    const e = obj as Record<string, unknown>;
    for (const k of ['eventTime', 'firstTimestamp', 'lastTimestamp']) if (e[k] === undefined) e[k] = null;
    for (const k of ['reportingComponent', 'reportingInstance']) if (e[k] === undefined) e[k] = '';
    if (e.source === undefined) e.source = {};
    if (e.involvedObject === undefined) e.involvedObject = {};
  },
  getAttrs(obj) {
    const e = obj as unknown as Event;
    return {
      ...referenceAttrs('involvedObject', e.involvedObject),
      reason: e.reason ?? '',
      reportingComponent: e.reportingComponent ?? '',
      source: e.source?.component || e.reportingComponent || '',
      type: e.type ?? '',
    };
  },
};

/**
 * Event printer (printEvent, formatEventSource in kubernetes/kubernetes
 * pkg/printers/internalversion/printers.go). events.k8s.io/v1 Events are printed by the same
 * function after conversion to the internal core Event, so they are first mapped to core/v1 field
 * names here (pkg/apis/events/v1/conversion.go: regarding→involvedObject, note→message,
 * deprecated* → the old fields).
 * Unlike every other printer, NAME is not the first column but the last, wide-only one.
 */
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { Event as EventsEvent } from 'kubernetes-types/events/v1.js';
import type { KubeObject } from '../api/index.ts';
import { column, wideColumn } from './columns.ts';
import * as d from './descriptions.ts';
import { translateTimestampSince } from './duration.ts';
import type { Printer } from './types.ts';

/** An events.k8s.io/v1 Event under core/v1 field names (only what the printer reads). */
function fromEventsV1(e: EventsEvent): CoreEvent {
  return {
    metadata: e.metadata ?? {},
    involvedObject: e.regarding ?? {},
    message: e.note,
    reason: e.reason,
    type: e.type,
    source: e.deprecatedSource,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    eventTime: e.eventTime,
    series: e.series ? { count: e.series.count, lastObservedTime: e.series.lastObservedTime } : undefined,
    reportingComponent: e.reportingController,
    reportingInstance: e.reportingInstance,
  };
}

/** events.k8s.io/v1 objects carry `regarding`/`note`; core ones `involvedObject`/`message`. */
function asCoreEvent(obj: KubeObject): CoreEvent {
  const isEventsV1 = obj.apiVersion?.startsWith('events.k8s.io/') || ('regarding' in obj && !('involvedObject' in obj));
  return isEventsV1 ? fromEventsV1(obj as unknown as EventsEvent) : (obj as unknown as CoreEvent);
}

/** "component, host", falling back to the reporting controller/instance (formatEventSource). */
function formatSource(e: CoreEvent): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

function eventCells(obj: KubeObject, now: Date): unknown[] {
  const e = asCoreEvent(obj);
  const firstSeen = e.firstTimestamp ? translateTimestampSince(e.firstTimestamp, now) : translateTimestampSince(e.eventTime, now);
  let lastSeen = e.lastTimestamp ? translateTimestampSince(e.lastTimestamp, now) : firstSeen;
  let count = e.count ?? 0;
  if (e.series) {
    lastSeen = translateTimestampSince(e.series.lastObservedTime, now);
    count = e.series.count ?? 0;
  } else if (count === 0) {
    // Singleton events of the new API carry no count.
    count = 1;
  }
  const kind = (e.involvedObject?.kind ?? '').toLowerCase();
  const target = e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
  return [
    lastSeen,
    e.type ?? '',
    e.reason ?? '',
    target,
    e.involvedObject?.fieldPath ?? '',
    formatSource(e),
    (e.message ?? '').trim(),
    firstSeen,
    count,
    e.metadata?.name ?? '',
  ];
}

export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'string', d.eventLastTimestamp),
    column('Type', 'string', d.eventType),
    column('Reason', 'string', d.eventReason),
    column('Object', 'string', d.eventInvolvedObject),
    wideColumn('Subobject', 'string', d.objectReferenceFieldPath),
    wideColumn('Source', 'string', d.eventSource),
    column('Message', 'string', d.eventMessage),
    wideColumn('First Seen', 'string', d.eventFirstTimestamp),
    wideColumn('Count', 'string', d.eventCount),
    { name: 'Name', type: 'string', format: 'name', description: d.objectMetaName, priority: 1 },
  ],
  cells: eventCells,
};

/**
 * The generic table convertor for resources without a printer (LimitRange and Binding in real
 * Kubernetes): NAME and CREATED AT, the creation time as an RFC 3339 UTC string
 * (staging/src/k8s.io/apiserver/pkg/registry/rest/table.go), and the Scale printer used for the
 * /scale subresource (printScale).
 */
import type { Scale } from 'kubernetes-types/autoscaling/v1.js';
import type { KubeObject } from '../api/index.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { objectMetaCreationTimestamp, objectMetaName } from './descriptions.ts';
import { parseTime, translateTimestampSince } from './duration.ts';
import type { Printer } from './types.ts';

/** Go's time.Format(time.RFC3339) in UTC, second precision; Go's zero time when absent. */
export function formatRFC3339(timestamp: unknown): string {
  const ms = parseTime(timestamp);
  if (ms === undefined) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const defaultPrinter: Printer = {
  columns: [nameColumn, column('Created At', 'date', objectMetaCreationTimestamp)],
  cells(obj: KubeObject): unknown[] {
    return [obj.metadata.name ?? '', formatRFC3339(obj.metadata.creationTimestamp)];
  },
};

/** autoscaling/v1 Scale; upstream gives its Name column no "name" format. */
export const scalePrinter: Printer = {
  columns: [
    { ...nameColumn, format: '' },
    column('Desired', 'integer', 'replicas is the desired number of instances for the scaled object.'),
    column('Available', 'integer', 'replicas is the actual number of observed instances of the scaled object.'),
    ageColumn,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const s = obj as unknown as Scale;
    return [s.metadata?.name ?? '', s.spec?.replicas ?? 0, s.status?.replicas ?? 0, translateTimestampSince(s.metadata?.creationTimestamp, now)];
  },
};

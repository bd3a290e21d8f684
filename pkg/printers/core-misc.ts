/**
 * Small printers: Namespace, ConfigMap, Secret, ServiceAccount, ResourceQuota and Lease
 * (kubernetes/kubernetes pkg/printers/internalversion/printers.go).
 */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { ConfigMap, Namespace, ResourceQuota, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/index.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import * as d from './descriptions.ts';
import { translateTimestampSince } from './duration.ts';
import type { Printer } from './types.ts';

function nameAndAge(obj: KubeObject, now: Date): [string, string] {
  return [obj.metadata.name ?? '', translateTimestampSince(obj.metadata.creationTimestamp, now)];
}

export const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'string', 'The status of the namespace'), ageColumn],
  cells(obj: KubeObject, now: Date): unknown[] {
    const [name, age] = nameAndAge(obj, now);
    // The namespace strategy sets phase Active on create.
    return [name, (obj as unknown as Namespace).status?.phase ?? 'Active', age];
  },
};

export const configMapPrinter: Printer = {
  columns: [nameColumn, column('Data', 'string', d.configMapData), ageColumn],
  cells(obj: KubeObject, now: Date): unknown[] {
    const cm = obj as unknown as ConfigMap;
    const [name, age] = nameAndAge(obj, now);
    return [name, Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, age];
  },
};

export const secretPrinter: Printer = {
  columns: [nameColumn, column('Type', 'string', d.secretType), column('Data', 'string', d.secretData), ageColumn],
  cells(obj: KubeObject, now: Date): unknown[] {
    const s = obj as unknown as Secret;
    const [name, age] = nameAndAge(obj, now);
    // type defaults to Opaque; stringData is merged into data on write, so only data counts.
    return [name, s.type || 'Opaque', Object.keys(s.data ?? {}).length, age];
  },
};

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn, column('Secrets', 'string', d.serviceAccountSecrets), ageColumn],
  cells(obj: KubeObject, now: Date): unknown[] {
    const [name, age] = nameAndAge(obj, now);
    return [name, ((obj as unknown as ServiceAccount).secrets ?? []).length, age];
  },
};

/**
 * "cpu: 100m/1, pods: 2/10" over status.hard (sorted), split into the request-like column and the
 * limits.* column. Quantities are shown as stored; the real server has canonicalised them on decode.
 */
function quotaColumns(q: ResourceQuota): [string, string] {
  const hard = q.status?.hard ?? {};
  const used = q.status?.used ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const resource of Object.keys(hard).sort()) {
    const text = `${resource}: ${used[resource] ?? '0'}/${hard[resource] ?? '0'}`;
    const pieces = resource.split('.');
    (pieces.length > 1 && pieces[0] === 'limits' ? limits : requests).push(text);
  }
  return [requests.join(', '), limits.join(', ')];
}

export const resourceQuotaPrinter: Printer = {
  columns: [
    nameColumn,
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    ageColumn,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const [name, age] = nameAndAge(obj, now);
    const [request, limit] = quotaColumns(obj as unknown as ResourceQuota);
    return [name, request, limit, age];
  },
};

export const leasePrinter: Printer = {
  columns: [nameColumn, column('Holder', 'string', d.leaseSpecHolderIdentity), ageColumn],
  cells(obj: KubeObject, now: Date): unknown[] {
    const [name, age] = nameAndAge(obj, now);
    return [name, (obj as unknown as Lease).spec?.holderIdentity ?? '', age];
  },
};

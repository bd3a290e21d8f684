/**
 * PriorityClass and RuntimeClass printers (pkg/printers/internalversion/printers.go:
 * printPriorityClass, printRuntimeClass).
 */
import type { RuntimeClass } from 'kubernetes-types/node/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { KubeObject } from '../api/index.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { translateTimestampSince } from './duration.ts';
import type { Printer } from './types.ts';

const priorityClassValue =
  'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.';
const priorityClassGlobalDefault =
  'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.';
const priorityClassPreemptionPolicy =
  'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.';
const runtimeClassHandler =
  'handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class. The possible values are specific to the node & CRI configuration.  It is assumed that all handlers are available on every node, and handlers of the same name are equivalent on every node. For example, a handler called "runc" might specify that the runc OCI runtime (using native Linux containers) will be used to run the containers in a pod. The Handler must be lowercase, conform to the DNS Label (RFC 1123) requirements, and is immutable.';

export const priorityClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Value', 'integer', priorityClassValue),
    column('Global-Default', 'boolean', priorityClassGlobalDefault),
    ageColumn,
    column('PreemptionPolicy', 'string', priorityClassPreemptionPolicy),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const pc = obj as unknown as PriorityClass;
    return [obj.metadata.name ?? '', pc.value ?? 0, pc.globalDefault ?? false,
      translateTimestampSince(obj.metadata.creationTimestamp, now), pc.preemptionPolicy ?? ''];
  },
};

export const runtimeClassPrinter: Printer = {
  columns: [nameColumn, column('Handler', 'string', runtimeClassHandler), ageColumn],
  cells(obj: KubeObject, now: Date): unknown[] {
    return [obj.metadata.name ?? '', (obj as unknown as RuntimeClass).handler ?? '', translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};

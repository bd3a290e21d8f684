/**
 * The frame the workload printers share (printDeployment, printReplicaSet, printJob… in
 * pkg/printers/internalversion/printers.go): Name, the kind's own columns, Age, the wide
 * Containers and Images of its pod template, then (for most kinds) the wide Selector.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/index.ts';
import { ageColumn, containerColumns, nameColumn, wideColumn } from './columns.ts';
import { translateTimestampSince } from './duration.ts';
import { layoutContainerCells } from './format.ts';
import type { ColumnDefinition, Printer } from './types.ts';

export interface WorkloadTable<T> {
  /** The columns between Name and Age. */
  columns: ColumnDefinition[];
  /** One cell per entry of `columns`, in the same order. */
  cells(o: T, now: Date): unknown[];
  /** The containers of the pod template the workload stamps out. */
  containers(o: T): readonly Container[] | undefined;
  /** The wide Selector column, when the kind prints one (StatefulSet does not). */
  selector?: { description: string; cell(o: T): string };
}

interface Named {
  metadata?: { name?: string; creationTimestamp?: string };
}

export function workloadPrinter<T extends Named>(table: WorkloadTable<T>): Printer {
  const { selector } = table;
  return {
    columns: [
      nameColumn, ...table.columns, ageColumn, ...containerColumns,
      ...(selector ? [wideColumn('Selector', 'string', selector.description)] : []),
    ],
    cells(obj: KubeObject, now: Date): unknown[] {
      const o = obj as unknown as T;
      return [
        o.metadata?.name ?? '',
        ...table.cells(o, now),
        translateTimestampSince(o.metadata?.creationTimestamp, now),
        ...layoutContainerCells(table.containers(o)),
        ...(selector ? [selector.cell(o)] : []),
      ];
    },
  };
}

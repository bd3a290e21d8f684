/** Builds the columns and rows of a meta.k8s.io/v1 Table for a list of objects of one resource. */
import type { KubeObject } from '../api/index.ts';
import { printerFor } from './registry.ts';
import type { TableParts, TableRowParts } from './types.ts';

/**
 * Column definitions and one row per object, in the order given, with every column (wide ones
 * included) as the real server does; kubectl hides priority>0 columns unless `-o wide`.
 * Pure: reads the objects, mutates nothing; `now` is the clock for AGE-like cells.
 * `plural` may carry a subresource ("deployments/scale", "pods/status").
 */
export function printTable(group: string, plural: string, objects: readonly KubeObject[], now: Date): TableParts {
  const printer = printerFor(group, plural);
  const rows = objects.map((obj, objectIndex): TableRowParts => {
    const row: TableRowParts = { cells: printer.cells(obj, now), objectIndex };
    const conditions = printer.conditions?.(obj);
    if (conditions) row.conditions = conditions;
    return row;
  });
  return { columnDefinitions: printer.columns.map((c) => ({ ...c })), rows };
}

/**
 * Shapes of the server-side table printing contract (meta.k8s.io/v1 Table), minus what the HTTP
 * handler adds itself (kind/apiVersion, list metadata, each row's `object`).
 */
import type { KubeObject } from '../api/index.ts';

/** meta/v1 TableColumnDefinition; every field is always serialised (none is omitempty upstream). */
export interface ColumnDefinition {
  name: string;
  /** OpenAPI type of the cells: "string", "integer", "number", "boolean" or "date". */
  type: string;
  /** "name" for the column holding the object's name, otherwise "". */
  format: string;
  description: string;
  /** 0 = always shown; 1 = shown by `kubectl get -o wide` only. */
  priority: number;
}

/** meta/v1 TableRowCondition; the real server marks finished pods with {type: Completed}. */
export interface RowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface TableRowParts {
  /** One value per column definition, in the same order. */
  cells: unknown[];
  /** Index into the `objects` argument of printTable of the object this row shows. */
  objectIndex: number;
  /** Present only when the real printer sets row conditions (finished pods). */
  conditions?: RowCondition[];
}

export interface TableParts {
  columnDefinitions: ColumnDefinition[];
  rows: TableRowParts[];
}

/**
 * One resource's printer: its columns, and a pure function mapping one object to its cells.
 * Mirrors a pkg/printers/internalversion TableHandler registration; the real server always
 * prints with Wide=true (pkg/printers/storage), so `cells` always returns every column.
 */
export interface Printer {
  columns: ColumnDefinition[];
  cells(obj: KubeObject, now: Date): unknown[];
  conditions?(obj: KubeObject): RowCondition[] | undefined;
}

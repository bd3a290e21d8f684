/** Server-side Table printing (meta.k8s.io/v1 Table columns and cells) for every served resource. */
export { printTable } from './print-table.ts';
export { printerFor, hasDedicatedPrinter } from './registry.ts';
export { humanDuration, translateTimestampSince } from './duration.ts';
export type { ColumnDefinition, Printer, RowCondition, TableParts, TableRowParts } from './types.ts';

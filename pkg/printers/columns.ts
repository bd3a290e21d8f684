/** Builders for column definitions, so each printer lists its columns in one readable block. */
import type { ColumnDefinition } from './types.ts';
import { containersDoc, imagesDoc, objectMetaCreationTimestamp, objectMetaName } from './descriptions.ts';

export type CellType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

/** A column shown by plain `kubectl get`. */
export function column(name: string, type: CellType, description: string): ColumnDefinition {
  return { name, type, format: '', description, priority: 0 };
}

/** A column shown only by `kubectl get -o wide` (priority 1). */
export function wideColumn(name: string, type: CellType, description: string): ColumnDefinition {
  return { name, type, format: '', description, priority: 1 };
}

/** The object-name column every printer starts with (type string, format name). */
export const nameColumn: ColumnDefinition = { name: 'Name', type: 'string', format: 'name', description: objectMetaName, priority: 0 };

export const ageColumn: ColumnDefinition = column('Age', 'string', objectMetaCreationTimestamp);

/** The wide Containers/Images pair of workload printers. */
export const containerColumns: ColumnDefinition[] = [
  wideColumn('Containers', 'string', containersDoc),
  wideColumn('Images', 'string', imagesDoc),
];

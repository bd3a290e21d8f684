export * from './resource-table.ts';
export * from './lookup.ts';

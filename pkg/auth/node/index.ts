export * from './identity.ts';
export * from './pod-references.ts';
export * from './graph.ts';
export * from './graph-populator.ts';
export * from './authorizer.ts';
export * from './for-registry.ts';

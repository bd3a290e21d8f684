export * from './rules.ts';
export * from './subjects.ts';
export * from './binding-index.ts';
export * from './resolver.ts';
export * from './authorizer.ts';
export * from './escalation.ts';

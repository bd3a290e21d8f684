export * from './types.ts';
export * from './chain.ts';
export * from './forbidden.ts';
export * from './privileged-groups.ts';
export * from './always-allow.ts';
export * from './attributes.ts';

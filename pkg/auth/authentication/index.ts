export * from './types.ts';
export * from './chain.ts';
export * from './x509.ts';
export * from './anonymous.ts';

export * from './types.ts';
export * from './chain.ts';
export * from './x509.ts';
export * from './anonymous.ts';
export * from './bearer-token.ts';
export * from './token-file.ts';

export * from './names.ts';
export * from './keys.ts';
export * from './claims.ts';
export * from './signer.ts';
export * from './getter.ts';
export * from './authenticator.ts';

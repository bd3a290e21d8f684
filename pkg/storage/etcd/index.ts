export * from './errors.ts';
export * from './etcd-store.ts';
export * from './compactor.ts';

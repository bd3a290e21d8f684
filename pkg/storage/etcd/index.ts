export * from './errors.ts';
export * from './etcd-store.ts';

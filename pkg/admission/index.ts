export * from './types.ts';
export * from './chain.ts';
export { admissionPlugins, type AdmissionDeps } from './plugins/index.ts';

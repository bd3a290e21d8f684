/**
 * The admission plugins in the order kube-apiserver runs them (options/plugins.go
 * AllOrderedPlugins). Adding a plugin is one file and one line here.
 */
import type { AdmissionPlugin } from '../types.ts';
import type { AdmissionDeps } from './deps.ts';
import { namespaceLifecycle } from './namespace-lifecycle.ts';

export type { AdmissionDeps } from './deps.ts';

export function admissionPlugins(deps: AdmissionDeps): AdmissionPlugin[] {
  return [
    namespaceLifecycle(deps),
  ];
}

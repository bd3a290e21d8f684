/** The two per-namespace objects every Kubernetes namespace has. */
import type { PerNamespaceSpec } from './per-namespace-controller.ts';

/** serviceaccount controller: a "default" ServiceAccount in each namespace. */
export const defaultServiceAccount: PerNamespaceSpec = {
  controller: 'serviceaccount',
  resource: 'serviceaccounts',
  name: 'default',
  build: () => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } }),
};

/** root-ca-cert-publisher: the cluster CA as ConfigMap kube-root-ca.crt in each namespace. */
export function rootCAConfigMap(caPem: string): PerNamespaceSpec {
  const annotations = { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' };
  return {
    controller: 'root-ca-cert-publisher',
    resource: 'configmaps',
    name: 'kube-root-ca.crt',
    build: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', annotations }, data: { 'ca.crt': caPem } }),
    drifted: (existing) => (existing.data as Record<string, string> | undefined)?.['ca.crt'] !== caPem,
  };
}

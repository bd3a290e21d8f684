/**
 * Roles about reaching the server itself (policy.go): discovery, self-review, health and
 * metrics endpoints, delegated authn/authz, and the certificate signer approvals.
 */
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import { clusterRole, rule, urls } from './rules.ts';

const signerApprover = (name: string, signer: string): ClusterRole =>
  clusterRole(`system:certificates.k8s.io:${name}`, [rule(['approve'], ['certificates.k8s.io'], ['signers'], [signer])]);

export function accessRoles(): ClusterRole[] {
  return [
    clusterRole('system:discovery', [urls(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/',
      '/openapi', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*'])]),
    clusterRole('system:monitoring', [urls(['get'], ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz',
      '/livez/*', '/readyz/*', '/healthz/*'])]),
    clusterRole('system:basic-user', [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
    clusterRole('system:public-info-viewer', [urls(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/'])]),
    clusterRole('system:auth-delegator', [
      rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
      rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    ]),
    clusterRole('system:service-account-issuer-discovery', [urls(['get'], ['/.well-known/openid-configuration', '/openid/v1/jwks'])]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient',
      [rule(['create'], ['certificates.k8s.io'], ['certificatesigningrequests/nodeclient'])]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
      [rule(['create'], ['certificates.k8s.io'], ['certificatesigningrequests/selfnodeclient'])]),
    signerApprover('kube-apiserver-client-approver', 'kubernetes.io/kube-apiserver-client'),
    signerApprover('kube-apiserver-client-kubelet-approver', 'kubernetes.io/kube-apiserver-client-kubelet'),
    signerApprover('kubelet-serving-approver', 'kubernetes.io/kubelet-serving'),
    signerApprover('legacy-unknown-approver', 'kubernetes.io/legacy-unknown'),
  ];
}

/**
 * What each built-in signer accepts (pkg/controller/certificates/signer/signer.go isRecognized and
 * pkg/apis/certificates/v1 helpers): kubelet certificates must name a node in system:nodes with the
 * usages a kubelet asks for; kube-apiserver clients must ask for client auth. A refusal becomes a
 * Failed condition with the returned message.
 */
import type { CertificateRequest } from '../../registry/certificates/request.ts';

export const signerNames = {
  kubeAPIServerClient: 'kubernetes.io/kube-apiserver-client',
  kubeAPIServerClientKubelet: 'kubernetes.io/kube-apiserver-client-kubelet',
  kubeletServing: 'kubernetes.io/kubelet-serving',
  legacyUnknown: 'kubernetes.io/legacy-unknown',
} as const;

/** Returns an error message, or undefined when the signer accepts the request. */
export type SignerPolicy = (req: CertificateRequest, usages: readonly string[]) => string | undefined;

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

const isSystemNodes = (req: CertificateRequest) => req.subject.organization.length === 1 && req.subject.organization[0] === 'system:nodes';

const kubeletServingUsages = ['digital signature', 'key encipherment', 'server auth'];
const kubeletServingUsagesNoRSA = ['digital signature', 'server auth'];
const kubeletClientUsages = ['digital signature', 'key encipherment', 'client auth'];
const kubeletClientUsagesNoRSA = ['digital signature', 'client auth'];

/** sets.List prints a sorted Go slice: [a b c]. */
const goList = (values: readonly string[]) => `[${[...values].sort().join(' ')}]`;

function validateKubeletServing(req: CertificateRequest, usages: readonly string[]): string | undefined {
  if (!isSystemNodes(req)) return 'subject organization is not system:nodes';
  if (req.dnsNames.length === 0 && req.ipAddresses.length === 0) return 'DNS or IP subjectAltName is required';
  if (req.emailAddresses.length > 0) return 'Email subjectAltNames are not allowed';
  if (req.uris.length > 0) return 'URI subjectAltNames are not allowed';
  if (!sameSet(usages, kubeletServingUsages) && !sameSet(usages, kubeletServingUsagesNoRSA)) {
    return `usages did not match ${goList(kubeletServingUsages)}`;
  }
  if (!req.subject.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  return undefined;
}

function validateKubeletClient(req: CertificateRequest, usages: readonly string[]): string | undefined {
  if (!isSystemNodes(req)) return 'subject organization is not system:nodes';
  if (req.dnsNames.length > 0) return 'DNS subjectAltNames are not allowed';
  if (req.emailAddresses.length > 0) return 'Email subjectAltNames are not allowed';
  if (req.ipAddresses.length > 0) return 'IP subjectAltNames are not allowed';
  if (req.uris.length > 0) return 'URI subjectAltNames are not allowed';
  if (!req.subject.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  if (!sameSet(usages, kubeletClientUsages) && !sameSet(usages, kubeletClientUsagesNoRSA)) {
    return `usages did not match ${goList(kubeletClientUsages)}`;
  }
  return undefined;
}

function validateAPIServerClient(_req: CertificateRequest, usages: readonly string[]): string | undefined {
  let hasClientAuth = false;
  for (const u of usages) {
    if (u === 'client auth') hasClientAuth = true;
    else if (u !== 'digital signature' && u !== 'key encipherment') return `invalid usage for client certificate: ${u}`;
  }
  return hasClientAuth ? undefined : 'missing required usage for client certificate: client auth';
}

/** The signers this controller serves; others are left for someone else. */
export const signerPolicies: Readonly<Record<string, SignerPolicy>> = {
  [signerNames.kubeAPIServerClient]: validateAPIServerClient,
  [signerNames.kubeAPIServerClientKubelet]: validateKubeletClient,
  [signerNames.kubeletServing]: validateKubeletServing,
  // No restrictions, for compatibility with requests made through v1beta1.
  [signerNames.legacyUnknown]: () => undefined,
};

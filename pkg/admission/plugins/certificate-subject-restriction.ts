/**
 * CertificateSubjectRestriction (plugin/pkg/admission/certificates/subjectrestriction): nobody may
 * ask the kube-apiserver-client signer for a certificate in group system:masters, which would
 * bypass every authorizer.
 */
import * as apierrors from '../../apierrors/index.ts';
import { wellKnown } from '../../auth/user.ts';
import { parseCertificateRequestPem } from '../../registry/certificates/request.ts';
import type { AdmissionPlugin } from '../types.ts';
import { csrGroup, csrResource } from './certificate-signer-authz.ts';

const kubeAPIServerClientSignerName = 'kubernetes.io/kube-apiserver-client';

export function certificateSubjectRestriction(): AdmissionPlugin {
  return {
    name: 'CertificateSubjectRestriction',
    operations: ['CREATE'],
    validate(a) {
      if (a.entry.group !== csrGroup || a.entry.plural !== csrResource || a.subresource) return;
      const spec = (a.object?.spec ?? {}) as { signerName?: string; request?: string };
      if (spec.signerName !== kubeAPIServerClientSignerName) return;
      let organizations: string[];
      try {
        organizations = parseCertificateRequestPem(Buffer.from(spec.request ?? '', 'base64')).subject.organization;
      } catch (err) {
        throw apierrors.forbidden(csrGroup, csrResource, a.name, `failed to parse CSR: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (organizations.includes(wellKnown.systemMasters)) {
        throw apierrors.forbidden(csrGroup, csrResource, a.name,
          `use of ${kubeAPIServerClientSignerName} signer with ${wellKnown.systemMasters} group is not allowed`);
      }
    },
  };
}

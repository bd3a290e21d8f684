/**
 * CertificateApproval (plugin/pkg/admission/certificates/approval): an update of
 * certificatesigningrequests/approval needs `approve` on the signer of the stored request (the
 * stored one, so a request cannot switch signers on the way).
 */
import * as apierrors from '../../apierrors/index.ts';
import type { AdmissionPlugin } from '../types.ts';
import type { AdmissionDeps } from './deps.ts';
import { csrGroup, csrResource, isAuthorizedForSignerName } from './certificate-signer-authz.ts';

export function certificateApproval(deps: AdmissionDeps): AdmissionPlugin {
  return {
    name: 'CertificateApproval',
    operations: ['UPDATE'],
    async validate(a) {
      if (a.subresource !== 'approval' || a.entry.group !== csrGroup || a.entry.plural !== csrResource) return;
      const signerName = String((a.oldObject?.spec as { signerName?: string } | undefined)?.signerName ?? '');
      if (await isAuthorizedForSignerName(deps.authorizer, a.user, 'approve', signerName)) return;
      throw apierrors.forbidden(csrGroup, csrResource, a.name, `user not permitted to approve requests with signerName "${signerName}"`);
    },
  };
}

/**
 * CertificateSigning (plugin/pkg/admission/certificates/signing): an update of
 * certificatesigningrequests/status that changes the certificate or the conditions needs `sign`
 * on the stored request's signer.
 */
import { isDeepStrictEqual } from 'node:util';
import * as apierrors from '../../apierrors/index.ts';
import type { AdmissionPlugin } from '../types.ts';
import type { AdmissionDeps } from './deps.ts';
import { csrGroup, csrResource, isAuthorizedForSignerName } from './certificate-signer-authz.ts';

interface CsrStatus { certificate?: string; conditions?: unknown[] }

export function certificateSigning(deps: AdmissionDeps): AdmissionPlugin {
  return {
    name: 'CertificateSigning',
    operations: ['UPDATE'],
    async validate(a) {
      if (a.subresource !== 'status' || a.entry.group !== csrGroup || a.entry.plural !== csrResource) return;
      const before = (a.oldObject?.status ?? {}) as CsrStatus;
      const after = (a.object?.status ?? {}) as CsrStatus;
      if ((before.certificate ?? '') === (after.certificate ?? '')
        && isDeepStrictEqual(before.conditions ?? [], after.conditions ?? [])) return;
      const signerName = String((a.oldObject?.spec as { signerName?: string } | undefined)?.signerName ?? '');
      if (await isAuthorizedForSignerName(deps.authorizer, a.user, 'sign', signerName)) return;
      throw apierrors.forbidden(csrGroup, csrResource, a.name, `user not permitted to sign requests with signerName "${signerName}"`);
    },
  };
}

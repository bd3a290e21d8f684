/**
 * certificates.IsAuthorizedForSignerName (plugin/pkg/admission/certificates/util.go): may the user
 * `verb` (approve, sign) on signers.certificates.k8s.io named after the signer, or on its
 * "<domain>/*" wildcard?
 */
import type { AuthorizerChain } from '../../auth/authorization/index.ts';
import type { UserInfo } from '../../auth/user.ts';

export const csrGroup = 'certificates.k8s.io';
export const csrResource = 'certificatesigningrequests';

export async function isAuthorizedForSignerName(authz: AuthorizerChain, user: UserInfo, verb: string, signerName: string): Promise<boolean> {
  const attrs = (name: string) => ({
    user, verb, isResourceRequest: true, path: '', apiGroup: csrGroup, apiVersion: '*',
    resource: 'signers', subresource: '', namespace: '', name,
  });
  if ((await authz.authorize(attrs(signerName))).decision === 'Allow') return true;
  const domain = signerName.split('/')[0] ?? '';
  return (await authz.authorize(attrs(`${domain}/*`))).decision === 'Allow';
}

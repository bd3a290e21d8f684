/**
 * Service-account user names, groups and extra keys (k8s.io/apiserver/pkg/authentication/serviceaccount).
 */
import { isDNS1123Label } from '../../registry/validation/names.ts';
import { isDNS1123Subdomain } from '../../api/selectors/index.ts';
import { wellKnown } from '../user.ts';

export const serviceAccountUsernamePrefix = 'system:serviceaccount:';

/** Keys of the user's extra a bound token carries. */
export const extraKeys = {
  podName: 'authentication.kubernetes.io/pod-name',
  podUID: 'authentication.kubernetes.io/pod-uid',
  nodeName: 'authentication.kubernetes.io/node-name',
  nodeUID: 'authentication.kubernetes.io/node-uid',
  credentialID: 'authentication.kubernetes.io/credential-id',
} as const;

export function makeUsername(namespace: string, name: string): string {
  return `${serviceAccountUsernamePrefix}${namespace}:${name}`;
}

/** [system:serviceaccounts, system:serviceaccounts:<ns>]: every service account's groups. */
export function makeGroupNames(namespace: string): string[] {
  return [wellKnown.serviceAccountsGroup, `${wellKnown.serviceAccountsGroup}:${namespace}`];
}

/** The namespace and name a service-account user name stands for; undefined when it is not one. */
export function splitUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(serviceAccountUsernamePrefix)) return undefined;
  const parts = username.slice(serviceAccountUsernamePrefix.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts as [string, string];
  if (isDNS1123Label(namespace).length > 0 || isDNS1123Subdomain(name).length > 0) return undefined;
  return { namespace, name };
}

/** "JTI=<id>": how a token's ID shows in the user's extra and audit. */
export function credentialIDForJTI(jti: string): string {
  return jti ? `JTI=${jti}` : '';
}

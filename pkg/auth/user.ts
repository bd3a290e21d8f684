/** Who a request is, as authentication found it (k8s.io/apiserver/pkg/authentication/user). */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** Well-known names of users and groups (user/user.go). */
export const wellKnown = {
  systemMasters: 'system:masters',
  allAuthenticated: 'system:authenticated',
  allUnauthenticated: 'system:unauthenticated',
  anonymous: 'system:anonymous',
  nodesGroup: 'system:nodes',
  serviceAccountsGroup: 'system:serviceaccounts',
} as const;

/** authentication.k8s.io UserInfo as the API writes it: every field omitted when empty. */
import type { UserInfo } from '../../auth/user.ts';

export function userInfoJson(user: UserInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (user.username) out.username = user.username;
  if (user.uid) out.uid = user.uid;
  if (user.groups.length > 0) out.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length > 0) out.extra = structuredClone(user.extra);
  return out;
}

/**
 * Node identity (pkg/auth/nodeidentifier): a user is a node when its name starts with
 * "system:node:" and it is in the system:nodes group; the rest of the name is the node's name,
 * which may be empty (a node identity that names no node, refused by the Node authorizer and
 * NodeRestriction with their own messages).
 */
import { wellKnown, type UserInfo } from '../user.ts';

export const nodeUserPrefix = 'system:node:';

/** The node's name, or undefined when the user is not a node at all. */
export function nodeIdentity(user: UserInfo | undefined): string | undefined {
  if (!user || !user.username.startsWith(nodeUserPrefix)) return undefined;
  if (!user.groups.includes(wellKnown.nodesGroup)) return undefined;
  return user.username.slice(nodeUserPrefix.length);
}

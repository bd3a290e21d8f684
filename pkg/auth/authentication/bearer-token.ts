/**
 * Bearer tokens (k8s.io/apiserver/pkg/authentication/request/bearertoken): the token authenticators
 * (static token file, service-account JWTs) tried in order for a request's `Authorization: Bearer`
 * token and for TokenReview. The first to accept the token wins; one that finds its kind of token
 * bad records why and the next is tried; when none accepts it the request is a 401, never anonymous.
 */
import type { IncomingMessage } from 'node:http';
import { wellKnown, type UserInfo } from '../user.ts';
import { InvalidCredentials, type Authenticator } from './types.ts';

export interface TokenResponse {
  user: UserInfo;
  /** The audiences the token is valid for among those asked for. */
  audiences: string[];
}

/**
 * One kind of token: a user, null when the token is not of its kind, or InvalidCredentials when
 * it is and is not valid. `audiences` are those the caller needs the token to be meant for.
 */
export type TokenAuthenticator = (token: string, audiences: readonly string[]) =>
  TokenResponse | null | Promise<TokenResponse | null>;

/** What the union answers when no authenticator knew the token (bearertoken.invalidToken). */
export const invalidBearerToken = 'invalid bearer token';

/** Every authenticated user is in system:authenticated (group.AuthenticatedGroupAdder). */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.some((g) => g === wellKnown.allAuthenticated || g === wellKnown.allUnauthenticated)) return user;
  return { ...user, groups: [...user.groups, wellKnown.allAuthenticated] };
}

/** Tries each authenticator; throws InvalidCredentials with the joined reasons when none accepts. */
export async function authenticateToken(authenticators: readonly TokenAuthenticator[], token: string,
  audiences: readonly string[]): Promise<TokenResponse> {
  const errors: string[] = [];
  for (const a of authenticators) {
    try {
      const r = await a(token, audiences);
      if (r) return { user: withAuthenticatedGroup(r.user), audiences: r.audiences };
    } catch (err) {
      if (!(err instanceof InvalidCredentials)) throw err;
      errors.push(err.reason);
    }
  }
  // utilerrors.NewAggregate: one error prints alone, several as "[a, b]".
  if (errors.length === 0) throw new InvalidCredentials(invalidBearerToken);
  throw new InvalidCredentials(errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`);
}

/** The token of `Authorization: Bearer <token>` as Go splits it; undefined when there is none. */
function requestToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const parts = header.trim().split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return undefined;
  // SplitN(auth, " ", 3): the token is the second piece; "Bearer  x" has an empty one (no token).
  return parts[1] || undefined;
}

/** The request authenticator for bearer tokens; `audiences` are the apiserver's (--api-audiences). */
export function bearerTokenAuthenticator(authenticators: readonly TokenAuthenticator[],
  audiences: readonly string[]): Authenticator {
  return async (req) => {
    const token = requestToken(req);
    if (token === undefined || authenticators.length === 0) return null;
    return (await authenticateToken(authenticators, token, audiences)).user;
  };
}

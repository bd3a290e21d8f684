/**
 * An authenticator looks at a request and answers with a user, with null when the request carries
 * none of its kind of credential, or throws (InvalidCredentials) when it carries one that is bad:
 * a bad credential is a 401, never a fall-through to anonymous.
 */
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../user.ts';

export type Authenticator = (req: IncomingMessage) => UserInfo | null | Promise<UserInfo | null>;

/** Credentials were presented and are not valid; `reason` goes to the log, never to the client. */
export class InvalidCredentials extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** The bearer token of an Authorization header, or undefined (the header may name another scheme). */
export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : undefined;
}

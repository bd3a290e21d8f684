/**
 * The authentication chain: the authenticators in order, the first user wins; a bad credential
 * fails the request at once (union.NewFailOnError); no credential at all is anonymous when that is
 * enabled, else 401.
 */
import type { IncomingMessage } from 'node:http';
import * as apierrors from '../../apierrors/index.ts';
import { logger } from '../../util/log.ts';
import type { UserInfo } from '../user.ts';
import { anonymousUser } from './anonymous.ts';
import { InvalidCredentials, type Authenticator } from './types.ts';

const log = logger('authentication');

export interface AuthenticationChain {
  authenticate(req: IncomingMessage): Promise<UserInfo>;
}

export function authenticationChain(authenticators: readonly Authenticator[], anonymous: boolean): AuthenticationChain {
  return {
    async authenticate(req) {
      for (const a of authenticators) {
        let user: UserInfo | null;
        try {
          user = await a(req);
        } catch (err) {
          if (err instanceof InvalidCredentials) {
            log.info('unable to authenticate the request', { reason: err.reason });
            throw apierrors.unauthorized();
          }
          throw err;
        }
        if (user) return user;
      }
      if (anonymous) return anonymousUser();
      throw apierrors.unauthorized();
    },
  };
}

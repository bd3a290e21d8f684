/**
 * The authentication chain (union.go): the authenticators in order, the first user wins; a bad
 * credential does not stop the others (a valid token beats an untrusted certificate), but when
 * nothing succeeds it makes the request a 401 rather than anonymous (union.NewFailOnError). No
 * credential at all is anonymous when that is enabled, else 401.
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
      const failures: string[] = [];
      for (const a of authenticators) {
        let user: UserInfo | null;
        try {
          user = await a(req);
        } catch (err) {
          if (!(err instanceof InvalidCredentials)) throw err;
          failures.push(err.reason);
          continue;
        }
        if (user) return user;
      }
      if (failures.length > 0) {
        log.info('unable to authenticate the request', { reason: failures.join(', ') });
        throw apierrors.unauthorized();
      }
      if (anonymous) return anonymousUser();
      throw apierrors.unauthorized();
    },
  };
}

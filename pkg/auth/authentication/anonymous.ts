/** What a request with no credentials becomes when anonymous auth is on (the default). */
import { wellKnown, type UserInfo } from '../user.ts';

export function anonymousUser(): UserInfo {
  return { username: wellKnown.anonymous, groups: [wellKnown.allUnauthenticated] };
}

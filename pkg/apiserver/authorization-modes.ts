/**
 * --authorization-mode: the authorizers the apiserver asks, in the order given. system:masters is
 * always allowed first, as kube-apiserver's privileged-groups authorizer does.
 */
import { alwaysAllowAuthorizer, privilegedGroupsAuthorizer, type Authorizer } from '../auth/authorization/index.ts';

export const authorizationModes = ['AlwaysAllow', 'AlwaysDeny'] as const;
export type AuthorizationMode = typeof authorizationModes[number];

const alwaysDeny: Authorizer = { name: 'AlwaysDeny', authorize: () => ({ decision: 'NoOpinion', reason: 'Everything is forbidden.' }) };

const byMode: Record<AuthorizationMode, () => Authorizer> = {
  AlwaysAllow: () => alwaysAllowAuthorizer,
  AlwaysDeny: () => alwaysDeny,
};

/** Parses the flag's comma-separated list; an unknown or repeated mode is refused, as upstream. */
export function parseAuthorizationModes(flag: string): AuthorizationMode[] {
  const modes = flag.split(',').map((m) => m.trim()).filter((m) => m !== '');
  if (modes.length === 0) throw new Error('at least one authorization-mode must be passed');
  const seen = new Set<string>();
  for (const m of modes) {
    if (!(authorizationModes as readonly string[]).includes(m)) {
      throw new Error(`authorization-mode "${m}" is not a valid mode`);
    }
    if (seen.has(m)) throw new Error(`authorization-mode "${m}" has mode specified more than once`);
    seen.add(m);
  }
  return modes as AuthorizationMode[];
}

export function authorizersFor(modes: readonly AuthorizationMode[]): Authorizer[] {
  return [privilegedGroupsAuthorizer, ...modes.map((m) => byMode[m]())];
}

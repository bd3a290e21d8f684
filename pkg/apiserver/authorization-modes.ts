/**
 * --authorization-mode: the authorizers the apiserver asks, in the order given. system:masters is
 * always allowed first, as kube-apiserver's privileged-groups authorizer does.
 */
import { alwaysAllowAuthorizer, privilegedGroupsAuthorizer, type Authorizer } from '../auth/authorization/index.ts';
import { rbacAuthorizer, rbacResolverFor } from '../auth/rbac/index.ts';
import { nodeAuthorizer, nodeGraphFor } from '../auth/node/index.ts';
import type { Registry } from '../registry/registry.ts';

export const authorizationModes = ['AlwaysAllow', 'AlwaysDeny', 'Node', 'RBAC'] as const;
export type AuthorizationMode = typeof authorizationModes[number];

const alwaysDeny: Authorizer = {
  name: 'AlwaysDeny',
  authorize: () => ({ decision: 'NoOpinion', reason: 'Everything is forbidden.' }),
  rulesFor: () => ({ resourceRules: [], nonResourceRules: [], incomplete: false, evaluationError: '' }),
};

/** What authorizers read their policy from. */
export interface AuthorizerDeps {
  registry: Registry;
}

const byMode: Record<AuthorizationMode, (deps: AuthorizerDeps) => Authorizer> = {
  AlwaysAllow: () => alwaysAllowAuthorizer,
  AlwaysDeny: () => alwaysDeny,
  Node: (deps) => nodeAuthorizer(nodeGraphFor(deps.registry)),
  RBAC: (deps) => rbacAuthorizer(rbacResolverFor(deps.registry)),
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

export function authorizersFor(modes: readonly AuthorizationMode[], deps: AuthorizerDeps): Authorizer[] {
  return [privilegedGroupsAuthorizer, ...modes.map((m) => byMode[m](deps))];
}

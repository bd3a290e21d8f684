/**
 * TokenReview (pkg/registry/authentication/tokenreview): who a bearer token stands for, for the
 * audiences asked (default: the apiserver's). A bad token is an answer, not an error.
 */
import type { KubeObject } from '../../api/index.ts';
import * as apierrors from '../../apierrors/index.ts';
import { InvalidCredentials, type TokenResponse } from '../../auth/authentication/index.ts';
import type { RestCreater } from '../rest.ts';
import { userInfoJson } from './user-info.ts';

export interface TokenReviewDeps {
  review(token: string, audiences: readonly string[]): Promise<TokenResponse>;
  apiAudiences: readonly string[];
}

export function tokenReviewRest(deps: TokenReviewDeps): RestCreater {
  return {
    async create(ctx, obj) {
      if (ctx.namespace) throw apierrors.badRequest(`namespace is not allowed on this type: ${ctx.namespace}`);
      const spec = (obj.spec ?? {}) as { token?: string; audiences?: string[] | null };
      if (!spec.token) throw apierrors.badRequest('token is required for TokenReview in authentication');
      await ctx.admission.mutate('CREATE', obj, undefined);
      await ctx.admission.validate('CREATE', obj, undefined);
      const auds = spec.audiences && spec.audiences.length > 0 ? spec.audiences : [...deps.apiAudiences];
      let status: Record<string, unknown>;
      try {
        const resp = await deps.review(spec.token, auds);
        if (auds.length > 0 && !resp.audiences.some((a) => auds.includes(a))) {
          throw apierrors.internalError('error validating audiences');
        }
        status = { authenticated: true, user: userInfoJson(resp.user) };
        if (resp.audiences.length > 0) status.audiences = resp.audiences;
      } catch (err) {
        if (!(err instanceof InvalidCredentials)) throw err;
        status = { user: {}, error: err.reason };
      }
      const meta = obj.metadata as Record<string, unknown>;
      return { ...obj, metadata: { ...meta, creationTimestamp: meta.creationTimestamp ?? null }, status } as unknown as KubeObject;
    },
  };
}

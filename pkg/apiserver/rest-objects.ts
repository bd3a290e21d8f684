/**
 * The REST objects the apiserver serves besides its stores (pkg/registry/rest.ts): access reviews,
 * token reviews, TokenRequest, pods/log, metrics.k8s.io… Registered here for both the real server
 * (run.ts) and in-process test servers, one line each.
 */
import type { AuthorizerChain } from '../auth/authorization/index.ts';
import type { Registry } from '../registry/registry.ts';
import type { TokenAuthentication } from './token-authentication.ts';
import { InvalidCredentials, invalidBearerToken } from '../auth/authentication/index.ts';
import { tokenRequestRest } from '../registry/core/serviceaccount/token-request.ts';
import { tokenReviewRest } from '../registry/authentication/token-review.ts';
import { selfSubjectReviewRest } from '../registry/authentication/self-subject-review.ts';
import { localSubjectAccessReviewRest, subjectAccessReviewRest } from '../registry/authorization/subject-access-review.ts';
import { selfSubjectAccessReviewRest } from '../registry/authorization/self-subject-access-review.ts';
import { selfSubjectRulesReviewRest } from '../registry/authorization/self-subject-rules-review.ts';
import { KubeletClient, type KubeletClientConfig } from '../registry/core/pod/kubelet-client.ts';
import { podLogRest } from '../registry/core/pod/log-rest.ts';
import { nodeMetricsRest, podMetricsRest, type MetricsDeps } from '../registry/metrics/metrics-rest.ts';
import { SummarySource } from '../registry/metrics/summary-source.ts';

export interface RestObjectDeps {
  registry: Registry;
  /** The same authorizer chain the filter chain uses (reviews answer with it). */
  authorizer: AuthorizerChain;
  /** Bearer tokens: TokenReview answers with them, TokenRequest signs with their issuer (when there is one). */
  tokens?: TokenAuthentication;
  /** How to reach kubelets (--kubelet-client-certificate, …): pods/log and metrics.k8s.io ask them. */
  kubelet?: KubeletClientConfig;
  /** How long a node's kubelet Summary is reused for metrics.k8s.io. */
  metricsCacheMs?: number;
}

const authorizationGroup = 'authorization.k8s.io';

export function registerRestObjects(deps: RestObjectDeps): void {
  const { registry, authorizer } = deps;
  registry.registerRest({ group: authorizationGroup, plural: 'subjectaccessreviews' }, '', subjectAccessReviewRest(authorizer));
  registry.registerRest({ group: authorizationGroup, plural: 'localsubjectaccessreviews' }, '', localSubjectAccessReviewRest(authorizer));
  registry.registerRest({ group: authorizationGroup, plural: 'selfsubjectaccessreviews' }, '', selfSubjectAccessReviewRest(authorizer));
  registry.registerRest({ group: authorizationGroup, plural: 'selfsubjectrulesreviews' }, '', selfSubjectRulesReviewRest(authorizer));
  registerKubeletProxies(deps);
  const { tokens } = deps;
  registry.registerRest({ group: 'authentication.k8s.io', plural: 'selfsubjectreviews' }, '', selfSubjectReviewRest());
  registry.registerRest({ group: 'authentication.k8s.io', plural: 'tokenreviews' }, '',
    tokenReviewRest(tokens ?? { review: () => Promise.reject(new InvalidCredentials(invalidBearerToken)), apiAudiences: [] }));
  if (tokens?.issuer) {
    registry.registerRest({ group: '', plural: 'serviceaccounts' }, 'token', tokenRequestRest({
      issuer: tokens.issuer, apiAudiences: tokens.apiAudiences, maxExpirationSeconds: tokens.maxExpirationSeconds, getter: tokens.getter,
    }));
  }
}

/** pods/log and metrics.k8s.io: read through the stores, answered by the nodes' kubelets. */
function registerKubeletProxies(deps: RestObjectDeps): void {
  const { registry } = deps;
  const kubelet = new KubeletClient(deps.kubelet ?? {});
  const pods = registry.store({ group: '', plural: 'pods' });
  const nodes = registry.store({ group: '', plural: 'nodes' });
  const getNode = (name: string) => nodes.get(undefined, name);
  const getPod = (namespace: string, name: string) => pods.get(namespace, name);
  registry.registerRest({ group: '', plural: 'pods' }, 'log', podLogRest({ getPod, getNode, kubelet }));
  const metrics: MetricsDeps = {
    getNode, getPod,
    listNodes: async (filter) => (await nodes.list({ resourceVersion: '0', filter })).items,
    listPods: async (namespace, filter) => (await pods.list({ resourceVersion: '0', namespace: namespace || undefined, filter })).items,
    summaries: new SummarySource({ kubelet, ttlMs: deps.metricsCacheMs }),
  };
  registry.registerRest({ group: 'metrics.k8s.io', plural: 'nodes' }, '', nodeMetricsRest(metrics));
  registry.registerRest({ group: 'metrics.k8s.io', plural: 'pods' }, '', podMetricsRest(metrics));
}

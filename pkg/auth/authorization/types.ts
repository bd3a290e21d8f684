/**
 * Authorization (k8s.io/apiserver/pkg/authorization/authorizer): an authorizer answers allow,
 * deny or no opinion for a request's attributes; the chain asks each in order until one decides.
 */
import type { UserInfo } from '../user.ts';
import type { FieldRequirement } from '../../api/selectors/index.ts';

export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  /** Non-resource requests: the URL path. */
  path: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /**
   * The request's field selector, parsed (AuthorizeWithSelectors, on by default in v1.32): the Node
   * authorizer lets a node list pods only with spec.nodeName=<itself>. Absent when there is none or
   * it does not parse.
   */
  fieldSelector?: readonly FieldRequirement[];
}

export type Decision = 'Allow' | 'Deny' | 'NoOpinion';

export interface AuthorizationResult {
  decision: Decision;
  /** Why: shown after the Forbidden message and in SubjectAccessReview status. */
  reason: string;
}

/** What a user may do in a namespace, as SelfSubjectRulesReview reports it. */
export interface ResourceRuleInfo {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
}
export interface NonResourceRuleInfo {
  verbs: string[];
  nonResourceURLs: string[];
}
export interface RulesResult {
  resourceRules: ResourceRuleInfo[];
  nonResourceRules: NonResourceRuleInfo[];
  /** True when the list may be missing rules (an authorizer could not list them). */
  incomplete: boolean;
  evaluationError: string;
}

export interface Authorizer {
  readonly name: string;
  authorize(attrs: Attributes): AuthorizationResult | Promise<AuthorizationResult>;
  /** The rules a user has in a namespace (RuleResolver); authorizers that cannot list rules leave it out. */
  rulesFor?(user: UserInfo, namespace: string): RulesResult | Promise<RulesResult>;
}

export const noOpinion: AuthorizationResult = { decision: 'NoOpinion', reason: '' };

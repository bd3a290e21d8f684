/**
 * Audit policy (audit.k8s.io/v1 Policy, --audit-policy-file): the first rule that matches a request
 * gives its level. Levels Request and RequestResponse (request and response bodies in the event)
 * are refused when the policy is loaded: this server records metadata only, and says so rather than
 * logging less than the policy asks for.
 */
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { isRecord } from '../api/index.ts';

export type AuditLevel = 'None' | 'Metadata' | 'Request' | 'RequestResponse';
export type AuditStage = 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';

interface GroupResources {
  group: string;
  resources: string[];
  resourceNames: string[];
}

export interface PolicyRule {
  level: AuditLevel;
  users: string[];
  userGroups: string[];
  verbs: string[];
  resources: GroupResources[];
  namespaces: string[];
  nonResourceURLs: string[];
  omitStages: AuditStage[];
}

export interface AuditPolicy {
  rules: PolicyRule[];
  omitStages: AuditStage[];
}

/** What a rule is matched against. */
export interface AuditRequestAttributes {
  username: string;
  groups: string[];
  verb: string;
  isResourceRequest: boolean;
  path: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

const levels: readonly AuditLevel[] = ['None', 'Metadata', 'Request', 'RequestResponse'];
const stages: readonly AuditStage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

function strings(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new Error(`${where}: must be a list of strings`);
  return v as string[];
}

function stageList(v: unknown, where: string): AuditStage[] {
  const list = strings(v, where);
  for (const s of list) if (!(stages as readonly string[]).includes(s)) throw new Error(`${where}: unknown stage "${s}"`);
  return list as AuditStage[];
}

export function parsePolicy(doc: unknown): AuditPolicy {
  if (!isRecord(doc)) throw new Error('audit policy: not an object');
  if (doc.kind !== 'Policy' || doc.apiVersion !== 'audit.k8s.io/v1') {
    throw new Error(`audit policy: want kind Policy, apiVersion audit.k8s.io/v1, got ${String(doc.kind)} ${String(doc.apiVersion)}`);
  }
  const rulesIn = doc.rules;
  if (!Array.isArray(rulesIn) || rulesIn.length === 0) throw new Error('audit policy: no rules');
  const rules = rulesIn.map((r, i): PolicyRule => {
    const where = `audit policy rules[${i}]`;
    if (!isRecord(r)) throw new Error(`${where}: not an object`);
    if (!(levels as readonly unknown[]).includes(r.level)) throw new Error(`${where}.level: unknown level "${String(r.level)}"`);
    const level = r.level as AuditLevel;
    if (level === 'Request' || level === 'RequestResponse') {
      throw new Error(`${where}.level: ${level} is not supported by this apiserver (it records metadata only)`);
    }
    const resources = (Array.isArray(r.resources) ? r.resources : []).map((g, j): GroupResources => {
      if (!isRecord(g)) throw new Error(`${where}.resources[${j}]: not an object`);
      return { group: typeof g.group === 'string' ? g.group : '', resources: strings(g.resources, `${where}.resources[${j}].resources`),
        resourceNames: strings(g.resourceNames, `${where}.resources[${j}].resourceNames`) };
    });
    return {
      level, users: strings(r.users, `${where}.users`), userGroups: strings(r.userGroups, `${where}.userGroups`),
      verbs: strings(r.verbs, `${where}.verbs`), resources, namespaces: strings(r.namespaces, `${where}.namespaces`),
      nonResourceURLs: strings(r.nonResourceURLs, `${where}.nonResourceURLs`), omitStages: stageList(r.omitStages, `${where}.omitStages`),
    };
  });
  return { rules, omitStages: stageList(doc.omitStages, 'audit policy omitStages') };
}

export function loadPolicyFile(path: string): AuditPolicy {
  return parsePolicy(yaml.load(readFileSync(path, 'utf8')));
}

function matchesResource(rule: PolicyRule, a: AuditRequestAttributes): boolean {
  if (rule.resources.length === 0) return true;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return rule.resources.some((g) => g.group === a.apiGroup
    && (g.resources.length === 0 || g.resources.some((r) => r === resource || r === '*' || r === `*/${a.subresource}` || (r === `${a.resource}/*` && a.subresource !== '')))
    && (g.resourceNames.length === 0 || g.resourceNames.includes(a.name)));
}

function matchesPath(patterns: string[], path: string): boolean {
  return patterns.some((p) => p === path || p === '*' || (p.endsWith('*') && path.startsWith(p.slice(0, -1))));
}

/** policy/checker.go ruleMatches: every field set on the rule must match. */
function ruleMatches(rule: PolicyRule, a: AuditRequestAttributes): boolean {
  if (rule.users.length && !rule.users.includes(a.username)) return false;
  if (rule.userGroups.length && !a.groups.some((g) => rule.userGroups.includes(g))) return false;
  if (rule.verbs.length && !rule.verbs.includes(a.verb)) return false;
  if (a.isResourceRequest) {
    if (rule.nonResourceURLs.length) return false;
    if (rule.namespaces.length && !rule.namespaces.includes(a.namespace)) return false;
    return matchesResource(rule, a);
  }
  if (rule.resources.length || rule.namespaces.length) return false;
  return rule.nonResourceURLs.length === 0 || matchesPath(rule.nonResourceURLs, a.path);
}

/** The level and omitted stages for a request; no matching rule is level None. */
export function evaluatePolicy(policy: AuditPolicy, a: AuditRequestAttributes): { level: AuditLevel; omitStages: AuditStage[] } {
  for (const rule of policy.rules) {
    if (ruleMatches(rule, a)) return { level: rule.level, omitStages: [...policy.omitStages, ...rule.omitStages] };
  }
  return { level: 'None', omitStages: policy.omitStages };
}

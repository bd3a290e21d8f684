/**
 * The admission plugins in the order kube-apiserver runs them (options/plugins.go
 * AllOrderedPlugins). Adding a plugin is one file and one line here.
 */
import type { AdmissionPlugin } from '../types.ts';
import type { AdmissionDeps } from './deps.ts';
import { namespaceLifecycle } from './namespace-lifecycle.ts';
import { limitRanger } from './limit-ranger.ts';
import { serviceAccount } from './service-account.ts';
import { nodeRestriction } from './node-restriction.ts';
import { priority } from './priority.ts';
import { defaultTolerationSeconds } from './default-toleration-seconds.ts';
import { runtimeClass } from './runtime-class.ts';
import { certificateApproval } from './certificate-approval.ts';
import { certificateSigning } from './certificate-signing.ts';
import { certificateSubjectRestriction } from './certificate-subject-restriction.ts';
import { rbacEscalation } from './rbac-escalation.ts';
import { resourceQuota } from './resource-quota.ts';

export type { AdmissionDeps } from './deps.ts';

/**
 * The plugins --enable-admission-plugins / --disable-admission-plugins may name (all are on by
 * default here). The RBAC escalation check is not an admission plugin upstream and cannot be turned off.
 */
export const admissionPluginNames: readonly string[] = [
  'NamespaceLifecycle', 'LimitRanger', 'ServiceAccount', 'NodeRestriction', 'Priority', 'DefaultTolerationSeconds', 'RuntimeClass',
  'CertificateApproval', 'CertificateSigning', 'CertificateSubjectRestriction', 'ResourceQuota',
];

export interface AdmissionPluginOptions {
  /** --disable-admission-plugins: names of plugins left out of the chain. */
  disabled?: readonly string[];
}

export function admissionPlugins(deps: AdmissionDeps, opts: AdmissionPluginOptions = {}): AdmissionPlugin[] {
  const disabled = new Set(opts.disabled ?? []);
  const plugins = [
    namespaceLifecycle(deps),
    limitRanger(deps),
    serviceAccount(deps),
    nodeRestriction(deps),
    priority(deps),
    defaultTolerationSeconds(),
    runtimeClass(deps),
    certificateApproval(deps),
    certificateSigning(deps),
    certificateSubjectRestriction(),
    resourceQuota(deps), // last, as upstream: it charges what every other plugin admitted
    // Not an admission plugin upstream: the RBAC REST storage's escalation check, which runs after
    // mutating admission and before validation; as the last mutating (admit) step it runs there too.
    rbacEscalation(deps),
  ];
  // A plugin missing from the names list could not be turned off by flag: fail at start-up instead.
  const unnamed = plugins.filter((p) => p.name !== 'RBACEscalation' && !admissionPluginNames.includes(p.name));
  if (unnamed.length > 0) throw new Error(`admission plugins missing from admissionPluginNames: ${unnamed.map((p) => p.name).join(', ')}`);
  return plugins.filter((p) => !disabled.has(p.name) || !admissionPluginNames.includes(p.name));
}

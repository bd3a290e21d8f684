/**
 * The default RBAC policy of a v1.32 kube-apiserver (plugin/pkg/auth/authorizer/rbac/bootstrappolicy)
 * and its start-up reconciler.
 */
export { bootstrapPolicy, type BootstrapPolicy } from './policy.ts';
export { reconcileBootstrapPolicy, type ReconcileSummary, type Outcome } from './reconcile.ts';
export { autoUpdateAnnotation, bootstrapLabel } from './rules.ts';

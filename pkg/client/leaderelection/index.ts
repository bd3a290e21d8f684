/**
 * Leader election on a coordination.k8s.io/v1 Lease (client-go tools/leaderelection), so two
 * copies of a program can run and only one acts. Public surface of pkg/client/leaderelection.
 */
export {
  LeaderElector, defaultIdentity, validateTimings, defaultLeaseDurationMs, defaultRenewDeadlineMs, defaultRetryPeriodMs, jitterFactor,
} from './leader-elector.ts';
export type { LeaderCallbacks, LeaderElectionClock, LeaderElectionConfig } from './leader-elector.ts';
export { microTime, newLeaseLock, recordFromSpec, specFromRecord } from './lease-lock.ts';
export type { LeaderElectionRecord, ResourceLock } from './lease-lock.ts';
export { parseGoDuration } from './duration.ts';
export { runElected } from './run-elected.ts';
export type { ElectedRunOptions } from './run-elected.ts';

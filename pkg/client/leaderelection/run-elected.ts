/**
 * How our programs run their work: directly, or only while they hold the Lease (--leader-elect).
 * The lease is released on cancel, after the work has stopped: upstream lets it expire on exit, but
 * handing over at once is what `make run-local` restarts and HA tests rely on. A leader that loses its
 * lease without being asked to stop calls `onLeaseLost` (the program exits, as upstream's do).
 */
import type { RestClient } from '../rest-client.ts';
import type { Logger } from '../../util/log.ts';
import { defaultIdentity, LeaderElector } from './leader-elector.ts';
import { newLeaseLock } from './lease-lock.ts';

export interface ElectedRunOptions {
  leaderElect: boolean;
  lease: { namespace: string; name: string; leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number };
  client: RestClient;
  log: Logger;
  signal: AbortSignal;
  onLeaseLost: () => void;
}

export function runElected(opts: ElectedRunOptions, work: (leading: AbortSignal) => Promise<void>): Promise<void> {
  if (!opts.leaderElect) return work(opts.signal);
  const { namespace, name, ...timings } = opts.lease;
  const elector = new LeaderElector({
    ...timings,
    lock: newLeaseLock(opts.client, namespace, name, defaultIdentity()),
    releaseOnCancel: true,
    callbacks: {
      onStartedLeading: work,
      onStoppedLeading: () => {
        if (opts.signal.aborted) return;
        opts.log.error('leaderelection lost');
        opts.onLeaseLost();
      },
      onNewLeader: (identity) => opts.log.info('new leader elected', { identity }),
    },
  });
  return elector.run(opts.signal);
}

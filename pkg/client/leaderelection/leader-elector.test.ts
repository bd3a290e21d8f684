import { describe, expect, it } from 'vitest';
import { settle, silentLogger } from '../informers/testing/fake-lister-watcher.ts';
import { LeaderElector, type LeaderCallbacks } from './leader-elector.ts';
import { microTime, type LeaderElectionRecord, type ResourceLock } from './lease-lock.ts';

/** One Lease in memory with resourceVersion semantics: a write based on an old read conflicts. */
class MemoryLease {
  record: LeaderElectionRecord | undefined;
  version = 0;
  failing = false;

  lock(identity: string): ResourceLock {
    let seen: number | undefined;
    const check = () => { if (this.failing) throw new Error('apiserver unreachable'); };
    return {
      identity,
      describe: () => 'kube-system/test',
      get: async () => {
        check();
        if (!this.record) return undefined;
        seen = this.version;
        return { record: { ...this.record }, raw: JSON.stringify(this.record) };
      },
      create: async (r) => {
        check();
        if (this.record) throw new Error('AlreadyExists');
        this.record = { ...r };
        seen = ++this.version;
      },
      update: async (r) => {
        check();
        if (seen !== this.version) throw new Error('Conflict: the object has been modified');
        this.record = { ...r };
        seen = ++this.version;
      },
    };
  }
}

/** Time that moves only when someone sleeps (one macrotask later, so pending requests finish first). */
function fakeClock() {
  const clock = {
    t: 1_700_000_000_000,
    now: () => clock.t,
    sleep: (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => setImmediate(() => {
      if (!signal.aborted) clock.t += ms;
      resolve();
    })),
  };
  return clock;
}

const timings = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };
const noCallbacks: LeaderCallbacks = { onStartedLeading: () => {} };

function candidates(...ids: string[]) {
  const lease = new MemoryLease();
  const clock = fakeClock();
  const electors = ids.map((id) => new LeaderElector({
    ...timings, lock: lease.lock(id), callbacks: noCallbacks, clock, random: () => 0, logger: silentLogger,
  }));
  return { lease, clock, electors };
}

describe('LeaderElector.tryAcquireOrRenew', () => {
  it('creates the Lease for the first candidate; the next one waits while the lease is valid', async () => {
    const { lease, clock, electors: [a, b] } = candidates('a', 'b');
    expect(await a!.tryAcquireOrRenew()).toBe(true);
    expect(lease.record).toEqual({
      holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: microTime(clock.t), renewTime: microTime(clock.t), leaderTransitions: 0,
    });
    expect(await b!.tryAcquireOrRenew()).toBe(false);
    expect(b!.getLeader()).toBe('a');
    expect(b!.isLeader()).toBe(false);
  });

  it('renews keeping acquireTime and the transition count', async () => {
    const { lease, clock, electors: [a] } = candidates('a');
    await a!.tryAcquireOrRenew();
    const acquired = lease.record!.acquireTime;
    clock.t += 2_000;
    expect(await a!.tryAcquireOrRenew()).toBe(true);
    expect(lease.record).toMatchObject({ holderIdentity: 'a', acquireTime: acquired, renewTime: microTime(clock.t), leaderTransitions: 0 });
  });

  it('takes over a lease not renewed for leaseDuration (on its own clock), counting a transition', async () => {
    const { lease, clock, electors: [a, b] } = candidates('a', 'b');
    await a!.tryAcquireOrRenew();
    expect(await b!.tryAcquireOrRenew()).toBe(false); // b first sees the record now
    clock.t += 10_000;
    await a!.tryAcquireOrRenew(); // a renews: the record changes
    clock.t += 6_000;
    expect(await b!.tryAcquireOrRenew()).toBe(false); // 16 s after b's first look, but it saw a change 0 s ago
    clock.t += 15_001;
    expect(await b!.tryAcquireOrRenew()).toBe(true);
    expect(lease.record).toMatchObject({ holderIdentity: 'b', leaderTransitions: 1, acquireTime: microTime(clock.t) });
    expect(await a!.tryAcquireOrRenew()).toBe(false);
    expect(a!.isLeader()).toBe(false);
  });

  it('hands a released lock over at once', async () => {
    const { lease, electors: [a, b] } = candidates('a', 'b');
    await a!.tryAcquireOrRenew();
    expect(await b!.tryAcquireOrRenew()).toBe(false);
    expect(await a!.release()).toBe(true);
    expect(lease.record).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaderTransitions: 0 });
    expect(await b!.tryAcquireOrRenew()).toBe(true);
    expect(lease.record).toMatchObject({ holderIdentity: 'b', leaderTransitions: 1 });
  });

  it('lets only one of two candidates racing for a free lock win', async () => {
    const { lease, electors: [a, b, c] } = candidates('a', 'b', 'c');
    await a!.tryAcquireOrRenew();
    await a!.release();
    const results = await Promise.all([b!.tryAcquireOrRenew(), c!.tryAcquireOrRenew()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(lease.record!.leaderTransitions).toBe(1);
  });
});

describe('LeaderElector.run', () => {
  it('leads, then on stop waits for the guarded work, releases, and reports stopped', async () => {
    const lease = new MemoryLease();
    const log: string[] = [];
    const ctrl = new AbortController();
    const elector = new LeaderElector({
      ...timings, lock: lease.lock('a'), clock: fakeClock(), random: () => 0, logger: silentLogger, releaseOnCancel: true,
      callbacks: {
        onStartedLeading: (signal) => new Promise<void>((resolve) => {
          log.push('started');
          signal.addEventListener('abort', () => { log.push(`work stopped, holder=${lease.record?.holderIdentity}`); resolve(); });
        }),
        onStoppedLeading: () => log.push(`stopped, holder=${lease.record?.holderIdentity}`),
        onNewLeader: (id) => log.push(`leader ${id}`),
      },
    });
    const running = elector.run(ctrl.signal);
    await settle();
    expect(log).toEqual(['leader a', 'started']);
    ctrl.abort();
    await running;
    expect(log).toEqual(['leader a', 'started', 'work stopped, holder=a', 'stopped, holder=']);
  });

  it('ends its term when it cannot renew within renewDeadline', async () => {
    const lease = new MemoryLease();
    const clock = fakeClock();
    let leading: AbortSignal | undefined;
    let stopped = false;
    const elector = new LeaderElector({
      ...timings, lock: lease.lock('a'), clock, random: () => 0, logger: silentLogger,
      callbacks: { onStartedLeading: (s) => { leading = s; }, onStoppedLeading: () => { stopped = true; } },
    });
    const running = elector.run(new AbortController().signal);
    await settle();
    expect(leading?.aborted).toBe(false);
    const failedAt = clock.t;
    lease.failing = true;
    await running;
    expect(leading?.aborted).toBe(true);
    expect(stopped).toBe(true);
    expect(clock.t - failedAt).toBeGreaterThanOrEqual(timings.renewDeadlineMs);
    expect(clock.t - failedAt).toBeLessThan(timings.leaseDurationMs);
  });

  it('reports stopped without ever leading when stopped while campaigning', async () => {
    const { lease, electors: [a] } = candidates('a');
    lease.record = { holderIdentity: 'other', leaseDurationSeconds: 15, acquireTime: '', renewTime: '', leaderTransitions: 3 };
    let started = false;
    let stopped = false;
    const b = new LeaderElector({
      ...timings, lock: lease.lock('b'), clock: fakeClock(), logger: silentLogger,
      callbacks: { onStartedLeading: () => { started = true; }, onStoppedLeading: () => { stopped = true; } },
    });
    const ctrl = new AbortController();
    const running = b.run(ctrl.signal);
    await settle(3);
    ctrl.abort();
    await running;
    expect([started, stopped]).toEqual([false, true]);
    expect(a!.isLeader()).toBe(false);
  });

  it.each([
    [{ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 }, 'leaseDuration must be greater than renewDeadline'],
    [{ leaseDurationMs: 15_000, renewDeadlineMs: 2_400, retryPeriodMs: 2_000 }, 'renewDeadline must be greater than retryPeriod*JitterFactor'],
    [{ leaseDurationMs: 900, renewDeadlineMs: 500, retryPeriodMs: 100 }, 'leaseDuration must be at least one second'],
  ])('refuses timings %j', (t, message) => {
    expect(() => new LeaderElector({ ...t, lock: new MemoryLease().lock('a'), callbacks: noCallbacks })).toThrow(message);
  });
});

describe('microTime', () => {
  it('writes RFC 3339 with microseconds in UTC', () => {
    expect(microTime(Date.UTC(2024, 11, 11, 17, 59, 15, 123))).toBe('2024-12-11T17:59:15.123000Z');
  });
});

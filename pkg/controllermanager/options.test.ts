import { describe, expect, it } from 'vitest';
import { OptionsError, enabled, parseOptions } from './options.ts';

const base = ['--kubeconfig=/k'];

describe('parseOptions', () => {
  it('takes the defaults of the real binary', () => {
    const o = parseOptions(base);
    expect(o.leaderElect).toBe(true);
    expect(o.lease).toEqual({ namespace: 'kube-system', name: 'kube-controller-manager', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
    expect(o.controllers).toEqual(['*']);
    expect(o.useServiceAccountCredentials).toBe(false);
  });

  it.each([
    [['--leader-elect=false'], (o: ReturnType<typeof parseOptions>) => expect(o.leaderElect).toBe(false)],
    [['--leader-elect'], (o: ReturnType<typeof parseOptions>) => expect(o.leaderElect).toBe(true)],
    [['--use-service-account-credentials'], (o: ReturnType<typeof parseOptions>) => expect(o.useServiceAccountCredentials).toBe(true)],
    [['--use-service-account-credentials=false'], (o: ReturnType<typeof parseOptions>) => expect(o.useServiceAccountCredentials).toBe(false)],
    [['--leader-elect-lease-duration=4s', '--leader-elect-renew-deadline=3s', '--leader-elect-retry-period=500ms'],
      (o: ReturnType<typeof parseOptions>) => expect([o.lease.leaseDurationMs, o.lease.renewDeadlineMs, o.lease.retryPeriodMs]).toEqual([4000, 3000, 500])],
  ])('honours %j', (args, check) => check(parseOptions([...base, ...args])));

  it.each([
    [[], '--kubeconfig is required'],
    [[...base, '--bogus=1'], 'bogus'],
    [[...base, '--leader-elect=yes'], 'invalid argument "yes" for "--leader-elect" flag'],
    [[...base, '--use-service-account-credentials=maybe'], 'invalid argument "maybe" for "--use-service-account-credentials" flag'],
    [[...base, '--leader-elect-resource-lock=endpoints'], 'only "leases" is supported'],
    [[...base, '--controllers=deploymentz'], '"deploymentz" is not in the list of known controllers'],
    [[...base, '--leader-elect-retry-period=soon'], 'invalid argument "soon" for "--leader-elect-retry-period" flag'],
  ])('refuses %j', (args, message) => {
    expect(() => parseOptions(args)).toThrow(OptionsError);
    expect(() => parseOptions(args)).toThrow(message);
  });
});

describe('enabled', () => {
  it.each([
    [['*'], 'namespace-controller', true],
    [['*', '-namespace'], 'namespace-controller', false],
    [['serviceaccount'], 'serviceaccount-controller', true],
    [['serviceaccount'], 'namespace-controller', false],
    [['-serviceaccount-controller', '*'], 'serviceaccount-controller', false],
  ])('%j enables %s: %s', (controllers, name, want) => expect(enabled(controllers, name)).toBe(want));
});

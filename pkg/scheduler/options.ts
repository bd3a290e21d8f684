/**
 * kube-scheduler's command line (kubernetes cmd/kube-scheduler/app/options), parsed strictly:
 * flags it would not honour are refused, never ignored. --config loads a KubeSchedulerConfiguration.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  defaultLeaseDurationMs, defaultRenewDeadlineMs, defaultRetryPeriodMs, parseGoDuration, validateTimings,
} from '../client/leaderelection/index.ts';
import { ConfigError, defaultConfig, parseConfig, type SchedulerConfig } from './config/config.ts';

const program = 'kube-scheduler';

/** strconv.ParseBool, which pflag uses for boolean flags. */
const goBools: Readonly<Record<string, boolean>> = {
  1: true, t: true, T: true, true: true, TRUE: true, True: true, 0: false, f: false, F: false, false: false, FALSE: false, False: false,
};

/** A command line or config file the program refuses (exit code 1 for config, 2 for flags). */
export class OptionsError extends Error {}

function refuse(message: string): never {
  throw new OptionsError(message);
}

export interface SchedulerOptions {
  kubeconfig: string;
  leaderElect: boolean;
  lease: { namespace: string; name: string; leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number };
  config: SchedulerConfig;
}

export function parseOptions(argv: readonly string[], readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): SchedulerOptions {
  const options = {
    kubeconfig: { type: 'string' },
    config: { type: 'string' },
    'leader-elect': { type: 'string' },
    'leader-elect-lease-duration': { type: 'string' },
    'leader-elect-renew-deadline': { type: 'string' },
    'leader-elect-retry-period': { type: 'string' },
    'leader-elect-resource-lock': { type: 'string', default: 'leases' },
    'leader-elect-resource-name': { type: 'string' },
    'leader-elect-resource-namespace': { type: 'string' },
  } as const;
  const args = argv.map((a) => (a === '--leader-elect' ? `${a}=true` : a));
  let values: ReturnType<typeof parseArgs<{ options: typeof options; args: string[]; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args, options, strict: true }));
  } catch (err) {
    refuse((err as Error).message);
  }
  let config: SchedulerConfig;
  if (values.config) {
    let text: string;
    try {
      text = readFile(values.config);
    } catch (err) {
      refuse(`failed to read config file "${values.config}": ${(err as Error).message}`);
    }
    try {
      config = parseConfig(text);
    } catch (err) {
      if (err instanceof ConfigError) refuse(`invalid configuration file "${values.config}": ${err.message}`);
      throw err;
    }
  } else config = defaultConfig();
  const le = config.leaderElection ?? {};
  const kubeconfig = values.kubeconfig ?? config.kubeconfig;
  if (!kubeconfig) refuse('--kubeconfig is required');
  let leaderElect = le.leaderElect ?? true;
  if (values['leader-elect'] !== undefined) {
    const b = goBools[values['leader-elect']];
    if (b === undefined) refuse(`invalid argument "${values['leader-elect']}" for "--leader-elect" flag: strconv.ParseBool: parsing "${values['leader-elect']}": invalid syntax`);
    leaderElect = b;
  }
  if (values['leader-elect-resource-lock'] !== 'leases') {
    refuse(`--leader-elect-resource-lock: only "leases" is supported, got "${values['leader-elect-resource-lock']}"`);
  }
  const duration = (flag: string, fromFlag: string | undefined, fromConfig: string | undefined, fallbackMs: number): number => {
    const text = fromFlag ?? fromConfig;
    if (text === undefined) return fallbackMs;
    try {
      return parseGoDuration(text);
    } catch (err) {
      return refuse(`invalid argument "${text}" for "--${flag}" flag: ${(err as Error).message}`);
    }
  };
  const lease = {
    namespace: values['leader-elect-resource-namespace'] ?? le.resourceNamespace ?? 'kube-system',
    name: values['leader-elect-resource-name'] ?? le.resourceName ?? program,
    leaseDurationMs: duration('leader-elect-lease-duration', values['leader-elect-lease-duration'], le.leaseDuration, defaultLeaseDurationMs),
    renewDeadlineMs: duration('leader-elect-renew-deadline', values['leader-elect-renew-deadline'], le.renewDeadline, defaultRenewDeadlineMs),
    retryPeriodMs: duration('leader-elect-retry-period', values['leader-elect-retry-period'], le.retryPeriod, defaultRetryPeriodMs),
  };
  try {
    validateTimings(lease.leaseDurationMs, lease.renewDeadlineMs, lease.retryPeriodMs);
  } catch (err) {
    refuse((err as Error).message);
  }
  return { kubeconfig, leaderElect, lease, config };
}

/**
 * kube-controller-manager's command line (kubernetes cmd/kube-controller-manager/app/options):
 * the flags it honours, parsed strictly. Anything it would not honour is refused, never ignored.
 */
import { parseArgs } from 'node:util';
import {
  defaultLeaseDurationMs, defaultRenewDeadlineMs, defaultRetryPeriodMs, parseGoDuration, validateTimings,
} from '../client/leaderelection/index.ts';

const program = 'kube-controller-manager';

/** Controllers this program runs, by their v1.32 names, with the aliases upstream accepts. */
export const knownControllers: Readonly<Record<string, readonly string[]>> = {
  'namespace-controller': ['namespace'],
  'serviceaccount-controller': ['serviceaccount'],
  'root-ca-certificate-publisher-controller': ['root-ca-cert-publisher'],
  'resourcequota-controller': ['resourcequota'],
  'clusterrole-aggregation-controller': ['clusterrole-aggregation'],
  'certificatesigningrequest-signing-controller': ['csrsigning'],
  'replicaset-controller': ['replicaset'],
  'replicationcontroller-controller': ['replicationcontroller'],
  'deployment-controller': ['deployment'],
  'garbage-collector-controller': ['garbagecollector'],
};

/** strconv.ParseBool, which pflag uses for boolean flags. */
const goBools: Readonly<Record<string, boolean>> = {
  1: true, t: true, T: true, true: true, TRUE: true, True: true, 0: false, f: false, F: false, false: false, FALSE: false, False: false,
};

/** A command line the program refuses (exit code 2, as pflag's errors). */
export class OptionsError extends Error {}

function refuse(message: string): never {
  throw new OptionsError(message);
}

/** Parses the command line like the real binary's flags; throws OptionsError for anything it refuses. */
export function parseOptions(argv: readonly string[]) {
  const options = {
    kubeconfig: { type: 'string' },
    controllers: { type: 'string', default: '*' },
    'leader-elect': { type: 'string', default: 'true' },
    'leader-elect-lease-duration': { type: 'string', default: `${defaultLeaseDurationMs / 1000}s` },
    'leader-elect-renew-deadline': { type: 'string', default: `${defaultRenewDeadlineMs / 1000}s` },
    'leader-elect-retry-period': { type: 'string', default: `${defaultRetryPeriodMs / 1000}s` },
    'leader-elect-resource-lock': { type: 'string', default: 'leases' },
    'leader-elect-resource-name': { type: 'string', default: program },
    'leader-elect-resource-namespace': { type: 'string', default: 'kube-system' },
    'root-ca-file': { type: 'string' },
    'use-service-account-credentials': { type: 'string', default: 'false' },
    'cluster-signing-cert-file': { type: 'string' },
    'cluster-signing-key-file': { type: 'string' },
    'cluster-signing-duration': { type: 'string', default: '8760h0m0s' },
  } as const;
  // A bare boolean flag means true, as in pflag.
  const args = argv.map((a) => (a === '--leader-elect' || a === '--use-service-account-credentials' ? `${a}=true` : a));
  let values: ReturnType<typeof parseArgs<{ options: typeof options; args: string[]; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args, options, strict: true }));
  } catch (err) {
    refuse((err as Error).message);
  }
  if (!values.kubeconfig) refuse('--kubeconfig is required');
  const leaderElect = goBools[values['leader-elect']];
  if (leaderElect === undefined) refuse(`invalid argument "${values['leader-elect']}" for "--leader-elect" flag`);
  const useServiceAccountCredentials = goBools[values['use-service-account-credentials']];
  if (useServiceAccountCredentials === undefined) {
    refuse(`invalid argument "${values['use-service-account-credentials']}" for "--use-service-account-credentials" flag`);
  }
  if (values['leader-elect-resource-lock'] !== 'leases') {
    refuse(`--leader-elect-resource-lock: only "leases" is supported, got "${values['leader-elect-resource-lock']}"`);
  }
  const duration = (flag: 'leader-elect-lease-duration' | 'leader-elect-renew-deadline' | 'leader-elect-retry-period') => {
    try {
      return parseGoDuration(values[flag]);
    } catch (err) {
      return refuse(`invalid argument "${values[flag]}" for "--${flag}" flag: ${(err as Error).message}`);
    }
  };
  const lease = {
    namespace: values['leader-elect-resource-namespace'],
    name: values['leader-elect-resource-name'],
    leaseDurationMs: duration('leader-elect-lease-duration'),
    renewDeadlineMs: duration('leader-elect-renew-deadline'),
    retryPeriodMs: duration('leader-elect-retry-period'),
  };
  try {
    validateTimings(lease.leaseDurationMs, lease.renewDeadlineMs, lease.retryPeriodMs);
  } catch (err) {
    refuse((err as Error).message);
  }
  // csrsigning: the CA that signs certificates for the kubernetes.io signers, and the longest lifetime it issues.
  const clusterSigning = {
    certFile: values['cluster-signing-cert-file'],
    keyFile: values['cluster-signing-key-file'],
    durationMs: (() => {
      try {
        return parseGoDuration(values['cluster-signing-duration']);
      } catch (err) {
        return refuse(`invalid argument "${values['cluster-signing-duration']}" for "--cluster-signing-duration" flag: ${(err as Error).message}`);
      }
    })(),
  };
  if (Boolean(clusterSigning.certFile) !== Boolean(clusterSigning.keyFile)) {
    refuse('--cluster-signing-cert-file and --cluster-signing-key-file must be given together');
  }
  return { kubeconfig: values.kubeconfig, controllers: parseControllers(values.controllers), leaderElect, lease, rootCAFile: values['root-ca-file'], clusterSigning,
    useServiceAccountCredentials };
}

/** --controllers entries; each must be `*`, a known name or alias, or one of those prefixed with `-`. */
function parseControllers(text: string): string[] {
  const entries = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const names = new Set(Object.entries(knownControllers).flatMap(([name, aliases]) => [name, ...aliases]));
  for (const entry of entries) {
    const name = entry.startsWith('-') ? entry.slice(1) : entry;
    if (name !== '*' && !names.has(name)) refuse(`"${name}" is not in the list of known controllers`);
  }
  return entries;
}

/** controllermanager.go IsControllerEnabled: the first entry naming the controller decides, else `*`. */
export function enabled(controllers: readonly string[], name: string): boolean {
  const spellings = [name, ...(knownControllers[name] ?? [])];
  for (const entry of controllers) {
    if (spellings.includes(entry)) return true;
    if (entry.startsWith('-') && spellings.includes(entry.slice(1))) return false;
  }
  return controllers.includes('*');
}

export type ControllerManagerOptions = ReturnType<typeof parseOptions>;

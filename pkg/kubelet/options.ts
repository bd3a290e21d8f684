/**
 * The fake-kubelet's command line: one process playing many nodes, as kwok does. Flags take the
 * kubelet's names where the kubelet has one (--node-labels, --register-with-taints, --max-pods,
 * --kube-reserved, --tls-*, --client-ca-file, --address, --port, --node-status-*), the
 * controller-manager's for pod CIDRs (--cluster-cidr, --node-cidr-mask-size), and our own for
 * what only a simulator has (--nodes, --node-name-prefix, --node-capacity, --node-zones, --usage-fraction,
 * --stages). Parsed strictly: an unknown flag or a bad value is refused (exit code 2), never ignored;
 * the --stages file itself is read by the program, which exits 1 when it is refused.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseGoDuration } from '../client/leaderelection/index.ts';
import { parseQuantityNano } from '../registry/validation/index.ts';
import { parseCidr } from './node/pod-cidr.ts';

export const program = 'fake-kubelet';

/** A command line the program refuses (exit code 2, as pflag's errors). */
export class OptionsError extends Error {}

function refuse(message: string): never {
  throw new OptionsError(message);
}

export interface Taint { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }

export interface FakeKubeletOptions {
  kubeconfig: string;
  nodes: number;
  nodeNamePrefix: string;
  /** Node capacity, as quantities (cpu, memory, pods, ephemeral-storage, …). */
  capacity: Record<string, string>;
  /** Subtracted from capacity to give allocatable (kubelet --kube-reserved); empty: allocatable = capacity. */
  kubeReserved: Record<string, string>;
  labels: Record<string, string>;
  taints: Taint[];
  zones: string[];
  clusterCidr: string;
  nodeCidrMaskSize: number;
  address: string;
  port: number;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCaFile?: string;
  nodeStatusUpdateFrequencyMs: number;
  nodeStatusReportFrequencyMs: number;
  nodeLeaseDurationSeconds: number;
  usageFraction: number;
  /** A file of Stage documents played before the built-in ones (stages/default-stages.yaml). */
  stagesFile?: string;
}

interface FlagDoc { type: 'string' | 'boolean'; default?: string; help: string }

/** Every flag with its default and --help text: the one place a flag is declared. */
export const flags: Readonly<Record<string, FlagDoc>> = {
  kubeconfig: { type: 'string', help: 'Path to a kubeconfig file with the apiserver and credentials (required).' },
  nodes: { type: 'string', default: '3', help: 'How many nodes this process simulates.' },
  'node-name-prefix': { type: 'string', default: 'fake-node-', help: 'Nodes are named <prefix>0, <prefix>1, …' },
  'node-capacity': { type: 'string', default: 'cpu=32,memory=256Gi,pods=110,ephemeral-storage=100Gi',
    help: 'Capacity of every node, as resource=quantity pairs; named resources replace the defaults.' },
  'max-pods': { type: 'string', help: 'Number of pods each node can run (overrides pods= of --node-capacity).' },
  'kube-reserved': { type: 'string', default: '', help: 'resource=quantity pairs held back from allocatable (default none: allocatable = capacity).' },
  'node-labels': { type: 'string', default: '', help: 'Extra labels of every node, key=value pairs separated by commas.' },
  'register-with-taints': { type: 'string', default: '', help: 'Taints every node registers with: key[=value]:Effect, separated by commas.' },
  'node-zones': { type: 'string', default: '', help: 'Zones the nodes are spread over round-robin (label topology.kubernetes.io/zone).' },
  'cluster-cidr': { type: 'string', default: '10.244.0.0/16', help: 'Pod network the nodes\' pod CIDRs are carved from.' },
  'node-cidr-mask-size': { type: 'string', default: '24', help: 'Prefix length of each node\'s pod CIDR.' },
  address: { type: 'string', default: '127.0.0.1', help: 'Address the kubelet endpoint listens on (loopback).' },
  port: { type: 'string', default: '0', help: 'Port of the kubelet endpoint every node advertises; 0 picks a free one (the real kubelet uses 10250).' },
  'tls-cert-file': { type: 'string', help: 'Serving certificate of the kubelet endpoint; default a self-signed one made at start.' },
  'tls-private-key-file': { type: 'string', help: 'Key of --tls-cert-file.' },
  'client-ca-file': { type: 'string', help: 'CA client certificates must chain to; default the CA of the kubeconfig\'s cluster.' },
  'node-status-update-frequency': { type: 'string', default: '10s', help: 'How often node status is computed (and written when it changed).' },
  'node-status-report-frequency': { type: 'string', default: '5m', help: 'How often node status is written even when unchanged.' },
  'node-lease-duration-seconds': { type: 'string', default: '40', help: 'Duration of each node\'s Lease; it is renewed every quarter of it.' },
  'usage-fraction': { type: 'string', default: '0.1', help: 'Simulated usage of a running container, as a fraction of its requests.' },
  stages: { type: 'string', help: 'A YAML file of Stage documents deciding how pods behave, tried before the built-in ones (pkg/kubelet/stages/default-stages.yaml); a bad file stops the program naming its line and field.' },
  help: { type: 'boolean', help: 'Print this help.' },
};

export function usage(): string {
  const lines = Object.entries(flags).map(([name, f]) => {
    const def = f.default ? ` (default "${f.default}")` : '';
    return `      --${name}${f.type === 'string' ? ' string' : ''}\n            ${f.help}${def}`;
  });
  return `Usage:\n  ${program} [flags]\n\nSimulates nodes and their pods against the apiserver in --kubeconfig.\n\nFlags:\n${lines.join('\n')}\n`;
}

/** `a=1,b=2` into a record; `what` names the flag in errors. */
export function parsePairs(text: string, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) refuse(`invalid argument "${text}" for "--${flag}" flag: "${item}" is not key=value`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

const effects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

/** kubelet --register-with-taints: key[=value]:Effect, comma separated. */
export function parseTaints(text: string): Taint[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((spec) => {
    const colon = spec.lastIndexOf(':');
    const effect = spec.slice(colon + 1) as Taint['effect'];
    if (colon <= 0 || !effects.includes(effect)) {
      refuse(`invalid argument "${text}" for "--register-with-taints" flag: invalid taint spec: ${spec}`);
    }
    const [key, value] = spec.slice(0, colon).split('=', 2) as [string, string | undefined];
    return value === undefined ? { key, effect } : { key, value, effect };
  });
}

function quantities(text: string, flag: string): Record<string, string> {
  const pairs = parsePairs(text, flag);
  for (const [name, q] of Object.entries(pairs)) {
    if (parseQuantityNano(q) === undefined) refuse(`invalid argument "${text}" for "--${flag}" flag: ${name}: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  }
  return pairs;
}

function integer(text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) refuse(`invalid argument "${text}" for "--${flag}" flag: must be an integer from ${min} to ${max}`);
  return n;
}

function duration(text: string, flag: string): number {
  try {
    const ms = parseGoDuration(text);
    if (ms <= 0) refuse(`invalid argument "${text}" for "--${flag}" flag: must be positive`);
    return ms;
  } catch (err) {
    if (err instanceof OptionsError) throw err;
    return refuse(`invalid argument "${text}" for "--${flag}" flag: ${(err as Error).message}`);
  }
}

/** Parses argv; `{ help: true }` for --help; throws OptionsError for anything refused. */
export function parseOptions(argv: readonly string[]): FakeKubeletOptions | { help: true } {
  const options: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
    Object.entries(flags).map(([name, f]) => [name, f.default === undefined ? { type: f.type } : { type: f.type, default: f.default }]));
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (err) {
    return refuse((err as Error).message);
  }
  if (values.help) return { help: true };
  const str = (name: string) => values[name] as string;
  if (!values.kubeconfig) refuse('--kubeconfig is required');
  const capacity = { ...parsePairs(flags['node-capacity']!.default!, 'node-capacity'), ...quantities(str('node-capacity'), 'node-capacity') };
  if (values['max-pods'] !== undefined) capacity.pods = String(integer(str('max-pods'), 'max-pods', 0));
  const clusterCidr = str('cluster-cidr');
  const maskSize = integer(str('node-cidr-mask-size'), 'node-cidr-mask-size', 1, 30);
  const cidr = parseCidr(clusterCidr);
  if (!cidr) refuse(`invalid argument "${clusterCidr}" for "--cluster-cidr" flag: not an IPv4 CIDR`);
  if (maskSize < cidr.prefix) refuse(`--node-cidr-mask-size ${maskSize} is larger than --cluster-cidr ${clusterCidr}`);
  const nodes = integer(str('nodes'), 'nodes', 0);
  if (nodes > 2 ** (maskSize - cidr.prefix)) refuse(`--cluster-cidr ${clusterCidr} has room for ${2 ** (maskSize - cidr.prefix)} node CIDRs of /${maskSize}, not ${nodes}`);
  const certFile = values['tls-cert-file'] as string | undefined;
  const keyFile = values['tls-private-key-file'] as string | undefined;
  if (Boolean(certFile) !== Boolean(keyFile)) refuse('--tls-cert-file and --tls-private-key-file must be given together');
  const address = str('address');
  if (!/^127\.\d+\.\d+\.\d+$/.test(address) && address !== '::1' && address !== 'localhost') refuse(`--address must be a loopback address, got "${address}"`);
  if (values.stages === '') refuse('invalid argument "" for "--stages" flag: must name a file');
  const usageFraction = Number(str('usage-fraction'));
  if (!Number.isFinite(usageFraction) || usageFraction < 0 || usageFraction > 1) {
    refuse(`invalid argument "${str('usage-fraction')}" for "--usage-fraction" flag: must be a number from 0 to 1`);
  }
  return {
    kubeconfig: str('kubeconfig'),
    nodes,
    nodeNamePrefix: str('node-name-prefix'),
    capacity,
    kubeReserved: quantities(str('kube-reserved'), 'kube-reserved'),
    labels: parsePairs(str('node-labels'), 'node-labels'),
    taints: parseTaints(str('register-with-taints')),
    zones: str('node-zones').split(',').map((s) => s.trim()).filter(Boolean),
    clusterCidr,
    nodeCidrMaskSize: maskSize,
    address,
    port: integer(str('port'), 'port', 0, 65535),
    tlsCertFile: certFile,
    tlsPrivateKeyFile: keyFile,
    clientCaFile: values['client-ca-file'] as string | undefined,
    nodeStatusUpdateFrequencyMs: duration(str('node-status-update-frequency'), 'node-status-update-frequency'),
    nodeStatusReportFrequencyMs: duration(str('node-status-report-frequency'), 'node-status-report-frequency'),
    nodeLeaseDurationSeconds: integer(str('node-lease-duration-seconds'), 'node-lease-duration-seconds', 1),
    usageFraction,
    stagesFile: values.stages as string | undefined,
  };
}

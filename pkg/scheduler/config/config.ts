/**
 * KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) from --config: decoded strictly
 * (unknown fields refused, as upstream's strict decoding), defaulted and validated after
 * kubernetes pkg/scheduler/apis/config/v1/defaults.go and validation/validation.go. Errors name
 * the field, e.g. `profiles[0].plugins.score.enabled[0].weight: Invalid value: 200: …`.
 */
import * as yaml from 'js-yaml';
import { registry, defaultPlugins } from '../plugins/registry.ts';

export const configGroupVersion = 'kubescheduler.config.k8s.io/v1';
export const defaultSchedulerName = 'default-scheduler';
/** Extension points a profile's plugins section may name. */
export const extensionPoints = [
  'multiPoint', 'preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit', 'preBind', 'bind', 'postBind',
] as const;
export type ExtensionPoint = (typeof extensionPoints)[number];
/** framework.MaxWeight: a plugin weight may be 1…100 (MaxTotalScore / MaxNodeScore bounds aside). */
const maxWeight = 100;

export interface ProfileSpec {
  schedulerName: string;
  percentageOfNodesToScore?: number;
  /** Enabled plugins in order, with score weights (0 = does not score). */
  plugins: { name: string; weight: number }[];
  /** Per extension point, plugins disabled there only. */
  disabled: Partial<Record<ExtensionPoint, Set<string>>>;
  pluginArgs: Map<string, Record<string, unknown>>;
}

export interface SchedulerConfig {
  percentageOfNodesToScore?: number;
  podInitialBackoffSeconds: number;
  podMaxBackoffSeconds: number;
  profiles: ProfileSpec[];
  leaderElection?: { leaderElect?: boolean; leaseDuration?: string; renewDeadline?: string; retryPeriod?: string; resourceName?: string; resourceNamespace?: string };
  kubeconfig?: string;
}

export class ConfigError extends Error {}

const knownTop = new Set(['apiVersion', 'kind', 'parallelism', 'leaderElection', 'clientConnection', 'healthzBindAddress', 'metricsBindAddress',
  'enableProfiling', 'enableContentionProfiling', 'percentageOfNodesToScore', 'podInitialBackoffSeconds', 'podMaxBackoffSeconds', 'profiles',
  'extenders', 'delayCacheUntilActive']);
const knownProfile = new Set(['schedulerName', 'percentageOfNodesToScore', 'plugins', 'pluginConfig']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function strict(obj: Obj, known: Set<string>, path: string): void {
  for (const k of Object.keys(obj)) if (!known.has(k)) throw new ConfigError(`strict decoding error: unknown field "${path}${k}"`);
}

function checkPercentage(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100) {
    throw new ConfigError(`${field}: Invalid value: ${JSON.stringify(v)}: not in valid range [0-100]`);
  }
  return v;
}

/** Builds one profile: the defaults, then multiPoint and per-point enable/disable, as upstream merges them. */
function buildProfile(raw: Obj, i: number): ProfileSpec {
  const at = `profiles[${i}]`;
  strict(raw, knownProfile, `${at}.`);
  const schedulerName = raw.schedulerName ?? defaultSchedulerName;
  if (typeof schedulerName !== 'string' || schedulerName === '') throw new ConfigError(`${at}.schedulerName: Required value`);
  let plugins = defaultPlugins.map((p) => ({ name: p.name, weight: p.weight ?? 0 }));
  const disabled: Partial<Record<ExtensionPoint, Set<string>>> = {};
  const sections = raw.plugins ?? {};
  if (!isObj(sections)) throw new ConfigError(`${at}.plugins: Invalid value: must be an object`);
  for (const [point, section] of Object.entries(sections)) {
    if (!(extensionPoints as readonly string[]).includes(point)) throw new ConfigError(`strict decoding error: unknown field "${at}.plugins.${point}"`);
    if (!isObj(section)) throw new ConfigError(`${at}.plugins.${point}: Invalid value: must be an object`);
    strict(section, new Set(['enabled', 'disabled']), `${at}.plugins.${point}.`);
    const dis = (section.disabled ?? []) as unknown[];
    const en = (section.enabled ?? []) as unknown[];
    dis.forEach((d, j) => {
      const n = isObj(d) ? d.name : undefined;
      if (typeof n !== 'string' || !n) throw new ConfigError(`${at}.plugins.${point}.disabled[${j}].name: Required value`);
      if (n !== '*' && !registry[n]) throw new ConfigError(`${at}.plugins.${point}.disabled[${j}].name: Invalid value: "${n}": plugin "${n}" does not exist`);
      if (point === 'multiPoint') plugins = n === '*' ? [] : plugins.filter((p) => p.name !== n);
      else if (point === 'score' && n !== '*') plugins = plugins.map((p) => (p.name === n ? { ...p, weight: 0 } : p));
      else if (point === 'score') plugins = plugins.map((p) => ({ ...p, weight: 0 }));
      else {
        const set = (disabled[point as ExtensionPoint] ??= new Set());
        for (const name of n === '*' ? plugins.map((p) => p.name) : [n]) set.add(name);
      }
    });
    en.forEach((e, j) => {
      if (!isObj(e)) throw new ConfigError(`${at}.plugins.${point}.enabled[${j}]: Invalid value: must be an object`);
      strict(e, new Set(['name', 'weight']), `${at}.plugins.${point}.enabled[${j}].`);
      const n = e.name;
      if (typeof n !== 'string' || !n) throw new ConfigError(`${at}.plugins.${point}.enabled[${j}].name: Required value`);
      if (!registry[n]) throw new ConfigError(`${at}.plugins.${point}.enabled[${j}].name: Invalid value: "${n}": plugin "${n}" does not exist`);
      const w = e.weight;
      if (w !== undefined && (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > maxWeight)) {
        throw new ConfigError(`${at}.plugins.${point}.enabled[${j}].weight: Invalid value: ${JSON.stringify(w)}: must be in the range [0, ${maxWeight}]`);
      }
      const existing = plugins.find((p) => p.name === n);
      const weight = typeof w === 'number' ? w : (existing?.weight || (point === 'score' || point === 'multiPoint' ? 1 : 0));
      if (existing) {
        if (point === 'score' || point === 'multiPoint') existing.weight = weight;
        const set = disabled[point as ExtensionPoint];
        set?.delete(n);
      } else plugins.push({ name: n, weight: point === 'score' || point === 'multiPoint' ? weight : 0 });
    });
  }
  const pluginArgs = new Map<string, Record<string, unknown>>();
  const pc = raw.pluginConfig ?? [];
  if (!Array.isArray(pc)) throw new ConfigError(`${at}.pluginConfig: Invalid value: must be a list`);
  pc.forEach((c: unknown, j) => {
    if (!isObj(c) || typeof c.name !== 'string') throw new ConfigError(`${at}.pluginConfig[${j}].name: Required value`);
    if (!registry[c.name]) throw new ConfigError(`${at}.pluginConfig[${j}].name: Invalid value: "${c.name}": plugin "${c.name}" does not exist`);
    if (pluginArgs.has(c.name)) throw new ConfigError(`${at}.pluginConfig[${j}]: Duplicate value: "${c.name}"`);
    pluginArgs.set(c.name, isObj(c.args) ? c.args : {});
  });
  if (!plugins.some((p) => p.name === 'DefaultBinder') && !plugins.some((p) => registry[p.name] && p.name.endsWith('Binder'))) {
    throw new ConfigError(`${at}.plugins.bind: Invalid value: at least one bind plugin is needed`);
  }
  return { schedulerName, percentageOfNodesToScore: checkPercentage(raw.percentageOfNodesToScore, `${at}.percentageOfNodesToScore`), plugins, disabled, pluginArgs };
}

/** The defaults when there is no --config: one default-scheduler profile. */
export function defaultConfig(): SchedulerConfig {
  return { podInitialBackoffSeconds: 1, podMaxBackoffSeconds: 10, profiles: [buildProfile({}, 0)] };
}

/** Parses and validates a config file's text; throws ConfigError naming the field. */
export function parseConfig(text: string): SchedulerConfig {
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err) {
    throw new ConfigError(`couldn't decode as KubeSchedulerConfiguration: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!isObj(doc)) throw new ConfigError("couldn't decode as KubeSchedulerConfiguration: not an object");
  if (doc.kind !== 'KubeSchedulerConfiguration') throw new ConfigError(`kind: Invalid value: ${JSON.stringify(doc.kind ?? '')}: must be KubeSchedulerConfiguration`);
  if (doc.apiVersion !== configGroupVersion) {
    throw new ConfigError(`apiVersion: Invalid value: ${JSON.stringify(doc.apiVersion ?? '')}: only ${configGroupVersion} is supported`);
  }
  strict(doc, knownTop, '');
  const percentage = checkPercentage(doc.percentageOfNodesToScore, 'percentageOfNodesToScore');
  const initial = doc.podInitialBackoffSeconds ?? 1;
  const max = doc.podMaxBackoffSeconds ?? 10;
  if (typeof initial !== 'number' || initial <= 0) throw new ConfigError(`podInitialBackoffSeconds: Invalid value: ${JSON.stringify(initial)}: must be greater than 0`);
  if (typeof max !== 'number' || max < initial) throw new ConfigError(`podMaxBackoffSeconds: Invalid value: ${JSON.stringify(max)}: must be greater than or equal to PodInitialBackoffSeconds`);
  const rawProfiles = doc.profiles ?? [{}];
  if (!Array.isArray(rawProfiles) || rawProfiles.length === 0) throw new ConfigError('profiles: Required value');
  const profiles = rawProfiles.map((p: unknown, i) => {
    if (!isObj(p)) throw new ConfigError(`profiles[${i}]: Invalid value: must be an object`);
    return buildProfile(p, i);
  });
  const names = new Set<string>();
  profiles.forEach((p, i) => {
    if (names.has(p.schedulerName)) throw new ConfigError(`profiles[${i}].schedulerName: Duplicate value: "${p.schedulerName}"`);
    names.add(p.schedulerName);
  });
  const le = isObj(doc.leaderElection) ? doc.leaderElection as SchedulerConfig['leaderElection'] : undefined;
  const cc = isObj(doc.clientConnection) ? doc.clientConnection : undefined;
  return {
    percentageOfNodesToScore: percentage, podInitialBackoffSeconds: initial, podMaxBackoffSeconds: max, profiles,
    leaderElection: le, kubeconfig: typeof cc?.kubeconfig === 'string' && cc.kubeconfig ? cc.kubeconfig : undefined,
  };
}

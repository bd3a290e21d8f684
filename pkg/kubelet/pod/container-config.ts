/**
 * The part of generating a container's config that can fail before the container exists
 * (pkg/kubelet/kuberuntime generateContainerConfig → kubelet_pods.go makeEnvironmentVariables and
 * makeMounts): a volumeMount's subPathExpr is expanded with the container's environment, and a
 * subPath that is absolute or steps out of its volume with '..' is refused. The kubelet then
 * leaves the container Waiting with CreateContainerConfigError. Pure.
 *
 * Environment values the simulation cannot know (configMap, secret and resource references, or
 * names that could come from envFrom) are "unknown": a subPathExpr that needs one is not judged.
 */
import type { Container, EnvVar, Pod } from 'kubernetes-types/core/v1.js';

/** The pod's addresses, for status.podIP / status.hostIP field references. */
export interface PodAddresses {
  podIP?: string;
  hostIP: string;
}

/** Why the kubelet cannot create `container`'s config (the CreateContainerConfigError message), or undefined. */
export function containerConfigError(pod: Pod, container: Container, addresses: PodAddresses): string | undefined {
  let env: Map<string, string | undefined> | undefined;
  for (const mount of container.volumeMounts ?? []) {
    let subPath = mount.subPath ?? '';
    if (mount.subPathExpr) {
      env ??= containerEnv(pod, container, addresses);
      const expanded = expandSubPath(mount.subPathExpr, env, (container.envFrom ?? []).length > 0);
      if (expanded === undefined) continue;
      if ('missing' in expanded) return `missing value for ${expanded.missing.join(', ')}`;
      subPath = expanded.value;
    }
    if (subPath === '') continue;
    if (subPath.startsWith('/')) return `error SubPath \`${subPath}\` must not be an absolute path`;
    if (subPath.split('/').includes('..')) return `unable to provision SubPath \`${subPath}\`: must not contain '..'`;
  }
  return undefined;
}

/** kubecontainer.ExpandContainerVolumeMounts: undefined when a needed value is unknown to the simulation. */
function expandSubPath(expr: string, env: ReadonlyMap<string, string | undefined>, hasEnvFrom: boolean):
  { value: string } | { missing: string[] } | undefined {
  const missing = new Set<string>();
  let unknown = false;
  const value = expandVars(expr, (name) => {
    const v = env.get(name);
    if (env.has(name) && v === undefined) unknown = true;
    else if (!v) {
      if (hasEnvFrom) unknown = true;
      else missing.add(name);
    }
    return v ?? '';
  });
  if (unknown) return undefined;
  return missing.size > 0 ? { missing: [...missing].sort() } : { value };
}

/** makeEnvironmentVariables for the sources the simulation knows: literal values (expanded) and pod field references. */
export function containerEnv(pod: Pod, container: Container, addresses: PodAddresses): Map<string, string | undefined> {
  const env = new Map<string, string | undefined>();
  for (const v of container.env ?? []) env.set(v.name, envValue(pod, v, env, addresses));
  return env;
}

function envValue(pod: Pod, v: EnvVar, env: ReadonlyMap<string, string | undefined>, addresses: PodAddresses): string | undefined {
  if (v.valueFrom === undefined) {
    // A reference to an unknown or unset name stays as written: "$(NAME)".
    return expandVars(v.value ?? '', (name) => (env.has(name) ? env.get(name) ?? '' : `$(${name})`));
  }
  const path = v.valueFrom.fieldRef?.fieldPath;
  return path === undefined ? undefined : fieldValue(pod, path, addresses);
}

/** podFieldSelectorRuntimeValue / fieldpath.ExtractFieldPathAsString for the paths the API allows. */
function fieldValue(pod: Pod, path: string, addresses: PodAddresses): string | undefined {
  const m = pod.metadata ?? {};
  const keyed = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (keyed) return (keyed[1] === 'labels' ? m.labels : m.annotations)?.[keyed[2]!] ?? '';
  switch (path) {
    case 'metadata.name': return m.name ?? '';
    case 'metadata.namespace': return m.namespace ?? '';
    case 'metadata.uid': return m.uid ?? '';
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP': case 'status.hostIPs': return addresses.hostIP;
    case 'status.podIP': case 'status.podIPs': return addresses.podIP ?? '';
    default: return undefined;
  }
}

/**
 * third_party/forked/golang/expansion Expand: `$(NAME)` is replaced by mapping(NAME), `$$` is a
 * literal `$`, and any other `$` (an unclosed `$(`, a `$` before another character or at the
 * end) stays as written.
 */
export function expandVars(input: string, mapping: (name: string) => string): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      continue;
    }
    const next = input[i + 1]!;
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(' && input.indexOf(')', i + 2) >= 0) {
      const end = input.indexOf(')', i + 2);
      out += mapping(input.slice(i + 2, end));
      i = end;
    } else {
      out += '$';
    }
  }
  return out;
}

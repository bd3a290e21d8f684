/**
 * Hand-kept facts that the `kubernetes-types` declarations do not carry, merged into
 * openapi/definitions.json by hack/update-openapi.ts. Keep it small: only what strategic merge
 * patch, server-side apply or kubectl rely on.
 *
 * Every value below was read from the real spec (kubernetes/kubernetes
 * api/openapi-spec/swagger.json, v1.32). The generator fails if an entry names a definition or
 * property that does not exist, so a typo or an upstream rename cannot slip through silently.
 *
 * Not here because they are derived: `x-kubernetes-group-version-kind` of every kind (from the
 * `apiVersion`/`kind` string literals in kubernetes-types; DeleteOptions and WatchEvent get one
 * entry per served group/version), number formats (int32/int64/double, from
 * @kubernetes/client-node's model metadata) and `required` (from non-optional members).
 */

/** The vendor extensions we carry; names and values are spelled as in the real spec. */
export interface OverlayExtensions {
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: 'merge' | 'retainKeys' | 'merge,retainKeys';
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-group-version-kind'?: { group: string; kind: string; version: string }[];
}

const core = 'io.k8s.api.core.v1';
const apps = 'io.k8s.api.apps.v1';
const batch = 'io.k8s.api.batch.v1';
const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** A list merged by a key field (strategic merge patch) — the most common shape. */
function mergeBy(key: string, extra: OverlayExtensions = {}): OverlayExtensions {
  return { 'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': 'merge', ...extra };
}

/** A list that is a map keyed by `keys` for both strategic merge patch and server-side apply. */
function mapList(key: string, keys: string[], strategy: OverlayExtensions['x-kubernetes-patch-strategy'] = 'merge'): OverlayExtensions {
  return {
    'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': strategy,
    'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': keys,
  };
}

const atomic: OverlayExtensions = { 'x-kubernetes-list-type': 'atomic' };

/** Conditions lists keyed by `type`, as on most status structs. */
const conditions = { conditions: mergeBy('type') };

/** Container and EphemeralContainer share these list semantics. */
const containerLists: Record<string, OverlayExtensions> = {
  env: mergeBy('name'),
  ports: mapList('containerPort', ['containerPort', 'protocol']),
  volumeMounts: mergeBy('mountPath'),
  volumeDevices: mergeBy('devicePath'),
  resizePolicy: atomic,
};

/** Property-level extensions, by definition name and then property name. */
export const propertyExtensions: Record<string, Record<string, OverlayExtensions>> = {
  [`${meta}.ObjectMeta`]: {
    finalizers: { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' },
    ownerReferences: mapList('uid', ['uid']),
    managedFields: atomic,
  },
  [`${meta}.LabelSelector`]: { matchExpressions: atomic },
  [`${meta}.LabelSelectorRequirement`]: { values: atomic },

  [`${core}.PodSpec`]: {
    containers: mergeBy('name'),
    initContainers: mergeBy('name'),
    ephemeralContainers: mergeBy('name'),
    imagePullSecrets: mergeBy('name'),
    volumes: mergeBy('name', { 'x-kubernetes-patch-strategy': 'merge,retainKeys' }),
    hostAliases: mapList('ip', ['ip']),
    topologySpreadConstraints: mapList('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
    schedulingGates: mapList('name', ['name']),
    resourceClaims: mapList('name', ['name'], 'merge,retainKeys'),
  },
  [`${core}.Container`]: containerLists,
  [`${core}.EphemeralContainer`]: containerLists,
  [`${core}.PodStatus`]: {
    ...conditions,
    podIPs: mergeBy('ip'),
    hostIPs: mergeBy('ip', atomic),
  },
  [`${core}.ServiceSpec`]: {
    ports: mapList('port', ['port', 'protocol']),
    clusterIPs: atomic,
    externalIPs: atomic,
    ipFamilies: atomic,
  },
  [`${core}.ServiceStatus`]: { conditions: mapList('type', ['type']) },
  [`${core}.ServiceAccount`]: { secrets: mergeBy('name') },
  [`${core}.NodeSpec`]: { podCIDRs: { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' } },
  [`${core}.NodeStatus`]: { ...conditions, addresses: mergeBy('type') },
  [`${core}.NamespaceStatus`]: conditions,
  [`${core}.ReplicationControllerStatus`]: conditions,

  [`${apps}.DeploymentSpec`]: { strategy: { 'x-kubernetes-patch-strategy': 'retainKeys' } },
  [`${apps}.DeploymentStatus`]: conditions,
  [`${apps}.ReplicaSetStatus`]: conditions,
  [`${apps}.StatefulSetStatus`]: conditions,
  [`${apps}.StatefulSetSpec`]: { volumeClaimTemplates: atomic },
  [`${apps}.DaemonSetStatus`]: conditions,

  [`${batch}.JobStatus`]: { conditions: mergeBy('type', atomic) },
  [`${batch}.CronJobStatus`]: { active: atomic },
};

/** Definition-level extensions, by definition name. */
export const definitionExtensions: Record<string, OverlayExtensions> = {
  [`${meta}.LabelSelector`]: { 'x-kubernetes-map-type': 'atomic' },
  // Status declares `apiVersion?: string`, so its kind cannot be derived from literals.
  [`${meta}.Status`]: { 'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }] },
};

/**
 * Pod and pod-template defaulting, after pkg/apis/core/v1/defaults.go and the generated
 * zz_generated.defaults.go: what `kubectl get -o yaml` shows the API filled in.
 * Templates (Deployments, Jobs…) get the PodSpec defaults only; the Pod-only ones
 * (enableServiceLinks, requests from limits, host ports) are in applyPodDefaults.
 */
import type {
  Container, DownwardAPIVolumeFile, EphemeralContainer, HTTPGetAction, Lifecycle, PodSpec, PodTemplateSpec, Probe, Volume,
} from 'kubernetes-types/core/v1.js';

/** The tag ParseImageName finds: "latest" when the reference names neither tag nor digest. */
export function imageTag(image: string | undefined): string {
  if (!image) return '';
  const [name = '', digest] = image.split('@');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : '';
  const repo = colon > slash ? name.slice(0, colon) : name;
  // A reference with upper-case path components does not parse; the defaulter then sees no tag.
  if (repo.slice(repo.indexOf('/') + 1) !== repo.slice(repo.indexOf('/') + 1).toLowerCase()) return '';
  return !tag && !digest ? 'latest' : tag;
}

function defaultHTTPGet(h: HTTPGetAction | undefined): void {
  if (!h) return;
  h.path ??= '/';
  h.scheme ??= 'HTTP';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ||= 1;
  p.periodSeconds ||= 10;
  p.successThreshold ||= 1;
  p.failureThreshold ||= 3;
  defaultHTTPGet(p.httpGet);
  if (p.grpc) p.grpc.service ??= '';
}

function defaultLifecycle(l: Lifecycle | undefined): void {
  defaultHTTPGet(l?.postStart?.httpGet);
  defaultHTTPGet(l?.preStop?.httpGet);
}

/** SetDefaults_Container plus the nested defaults of its ports, env, probes and lifecycle. */
export function applyContainerDefaults(c: Container | EphemeralContainer): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(c.image) === 'latest' ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  // resources is a struct in Go, so it is always serialized.
  c.resources ??= {};
  for (const port of c.ports ?? []) port.protocol ||= 'TCP';
  for (const env of c.env ?? []) {
    if (env.valueFrom?.fieldRef) env.valueFrom.fieldRef.apiVersion ||= 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultLifecycle(c.lifecycle);
}

function defaultDownwardItems(items: DownwardAPIVolumeFile[] | undefined): void {
  for (const item of items ?? []) {
    if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
  }
}

/** SetDefaults_Volume and the defaults of each volume source. */
export function applyVolumeDefaults(v: Volume): void {
  if (Object.keys(v).every((k) => k === 'name')) v.emptyDir = {};
  if (v.secret) v.secret.defaultMode ??= 420;
  if (v.configMap) v.configMap.defaultMode ??= 420;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= 420;
    defaultDownwardItems(v.downwardAPI.items);
  }
  if (v.projected) {
    v.projected.defaultMode ??= 420;
    for (const s of v.projected.sources ?? []) {
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
      defaultDownwardItems(s.downwardAPI?.items);
    }
  }
  if (v.hostPath) v.hostPath.type ??= '';
  const claimSpec = v.ephemeral?.volumeClaimTemplate?.spec;
  if (claimSpec) claimSpec.volumeMode ??= 'Filesystem';
}

/** SetDefaults_PodSpec and everything nested in a PodSpec (templates get exactly this). */
export function applyPodSpecDefaults(spec: PodSpec): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ||= 'default-scheduler';
  // v1 conversion keeps the deprecated serviceAccount field mirrored to serviceAccountName.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const v of spec.volumes ?? []) applyVolumeDefaults(v);
  for (const c of spec.initContainers ?? []) applyContainerDefaults(c);
  for (const c of spec.containers ?? []) applyContainerDefaults(c);
  for (const c of spec.ephemeralContainers ?? []) applyContainerDefaults(c);
}

/** Defaults of a PodTemplateSpec embedded in a workload; a missing template stays missing. */
export function applyPodTemplateDefaults(template: PodTemplateSpec | undefined): void {
  if (template?.spec) applyPodSpecDefaults(template.spec);
}

/** Requests default to limits, per resource (Pods only, not templates). */
function defaultRequestsFromLimits(containers: Container[] | undefined): void {
  for (const c of containers ?? []) {
    const limits = c.resources?.limits;
    if (!limits || !c.resources) continue;
    c.resources.requests ??= {};
    for (const [k, v] of Object.entries(limits)) c.resources.requests[k] ??= v;
  }
}

function defaultHostPorts(containers: Container[] | undefined): void {
  for (const c of containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) p.hostPort = p.containerPort;
    }
  }
}

/** SetDefaults_Pod, then the PodSpec defaults. */
export function applyPodDefaults(spec: PodSpec): void {
  defaultRequestsFromLimits(spec.containers);
  defaultRequestsFromLimits(spec.initContainers);
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork) {
    defaultHostPorts(spec.containers);
    defaultHostPorts(spec.initContainers);
  }
  applyPodSpecDefaults(spec);
}

/**
 * A template's metadata is a Go struct with a zero creationTimestamp, which serializes as
 * `creationTimestamp: null`; real `-o yaml` output shows it, so stored templates carry it too.
 */
export function canonicalizePodTemplate(template: { metadata?: object } | undefined): void {
  if (!template) return;
  const meta = (template.metadata ??= {}) as Record<string, unknown>;
  if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
}

/**
 * The API objects a pod names (pkg/api/v1/pod VisitPodSecretNames / VisitPodConfigmapNames, the
 * ephemeral volume claim names and resource claim names): what the Node authorizer lets a node
 * read once the pod is bound to it, and what NodeRestriction forbids in mirror pods.
 */
import type { Container, EnvFromSource, EnvVar, Pod, PodSpec } from 'kubernetes-types/core/v1.js';

/** Init, regular and ephemeral containers (podutil.AllContainers). */
function containersOf(spec: PodSpec): Array<{ env?: EnvVar[]; envFrom?: EnvFromSource[] }> {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...((spec.ephemeralContainers ?? []) as Container[])];
}

/** Secret names in pull secrets, env, envFrom and every volume source that takes a secret. */
export function podSecretNames(spec: PodSpec): string[] {
  const names: (string | undefined)[] = [];
  for (const s of spec.imagePullSecrets ?? []) names.push(s.name);
  for (const c of containersOf(spec)) {
    for (const f of c.envFrom ?? []) if (f.secretRef) names.push(f.secretRef.name);
    for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) names.push(e.valueFrom.secretKeyRef.name);
  }
  for (const v of spec.volumes ?? []) {
    if (v.azureFile) names.push(v.azureFile.secretName);
    if (v.cephfs?.secretRef) names.push(v.cephfs.secretRef.name);
    if (v.cinder?.secretRef) names.push(v.cinder.secretRef.name);
    if (v.flexVolume?.secretRef) names.push(v.flexVolume.secretRef.name);
    for (const p of v.projected?.sources ?? []) if (p.secret) names.push(p.secret.name);
    if (v.rbd?.secretRef) names.push(v.rbd.secretRef.name);
    if (v.secret) names.push(v.secret.secretName);
    if (v.scaleIO?.secretRef) names.push(v.scaleIO.secretRef.name);
    if (v.iscsi?.secretRef) names.push(v.iscsi.secretRef.name);
    if (v.storageos?.secretRef) names.push(v.storageos.secretRef.name);
    if (v.csi?.nodePublishSecretRef) names.push(v.csi.nodePublishSecretRef.name);
  }
  return names.map((n) => n ?? '');
}

/** ConfigMap names in env, envFrom, configMap volumes and projected configMap sources. */
export function podConfigMapNames(spec: PodSpec): string[] {
  const names: (string | undefined)[] = [];
  for (const c of containersOf(spec)) {
    for (const f of c.envFrom ?? []) if (f.configMapRef) names.push(f.configMapRef.name);
    for (const e of c.env ?? []) if (e.valueFrom?.configMapKeyRef) names.push(e.valueFrom.configMapKeyRef.name);
  }
  for (const v of spec.volumes ?? []) {
    for (const p of v.projected?.sources ?? []) if (p.configMap) names.push(p.configMap.name);
    if (v.configMap) names.push(v.configMap.name);
  }
  return names.map((n) => n ?? '');
}

/** PVC names: persistentVolumeClaim volumes, and `<pod>-<volume>` for generic ephemeral volumes. */
export function podClaimNames(pod: Pod): string[] {
  const names: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim) names.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) names.push(`${pod.metadata?.name ?? ''}-${v.name}`);
  }
  return names.filter((n) => n !== '');
}

/**
 * ResourceClaim names (resourceclaim.Name): a claim named directly, or the one generated from a
 * template as recorded in status; a template claim not generated yet grants nothing.
 */
export function podResourceClaimNames(pod: Pod): string[] {
  const names: string[] = [];
  const spec = pod.spec as (PodSpec & { resourceClaims?: { name: string; resourceClaimName?: string; resourceClaimTemplateName?: string }[] }) | undefined;
  const statuses = (pod.status as { resourceClaimStatuses?: { name: string; resourceClaimName?: string }[] } | undefined)?.resourceClaimStatuses ?? [];
  for (const c of spec?.resourceClaims ?? []) {
    if (c.resourceClaimName) names.push(c.resourceClaimName);
    else if (c.resourceClaimTemplateName) {
      const generated = statuses.find((s) => s.name === c.name)?.resourceClaimName;
      if (generated) names.push(generated);
    }
  }
  return names;
}

export const mirrorPodAnnotation = 'kubernetes.io/config.mirror';

export function isMirrorPod(pod: Pod): boolean {
  return Object.hasOwn(pod.metadata?.annotations ?? {}, mirrorPodAnnotation);
}

/**
 * ServiceAccount (plugin/pkg/admission/serviceaccount, 1.32): a new pod runs as a service account
 * that must exist ("default" unless named), gets the account's imagePullSecrets when it has none,
 * and, unless automountServiceAccountToken is false on the pod or the account, a projected
 * `kube-api-access-<random>` volume (bound token, cluster CA, namespace) mounted read-only at
 * /var/run/secrets/kubernetes.io/serviceaccount in every container. Mirror pods (static pods the
 * kubelet reports) may reference no service account or secret at all.
 */
import { randomInt } from 'node:crypto';
import type { Container, EnvVar, Pod, PodSpec, ServiceAccount, Volume, VolumeMount } from 'kubernetes-types/core/v1.js';
import * as apierrors from '../../apierrors/index.ts';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.ts';
import type { AdmissionDeps } from './deps.ts';
import { admissionForbidden, isCoreResource } from './forbidden.ts';

export const defaultServiceAccountName = 'default';
export const defaultAPITokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
export const serviceAccountVolumeName = 'kube-api-access';
const enforceMountableSecretsAnnotation = 'kubernetes.io/enforce-mountable-secrets';
const mirrorPodAnnotation = 'kubernetes.io/config.mirror';
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: an hour plus 7 s, so kubelets refresh in time. */
const tokenExpirationSeconds = 3607;
const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export interface ServiceAccountOptions {
  /** names.SimpleNameGenerator's 5-character suffix; injectable for tests. */
  nameSuffix?: () => string;
  /** Pause between live lookups of a missing `default` account (the controller creates it soon). */
  sleep?: (ms: number) => Promise<void>;
}

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += nameAlphabet[randomInt(nameAlphabet.length)];
  return s;
}

/** TokenVolumeSource: token, the cluster CA from kube-root-ca.crt and the namespace. */
function tokenVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: tokenExpirationSeconds, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

function allContainers(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...((spec.ephemeralContainers ?? []) as Container[])];
}

/** podutil.VisitPodSecretNames, stopping at the first reference. */
function referencesSecrets(spec: PodSpec): boolean {
  if ((spec.imagePullSecrets ?? []).length > 0) return true;
  const envRefs = (env: EnvVar[] | undefined) => (env ?? []).some((e) => e.valueFrom?.secretKeyRef);
  if (allContainers(spec).some((c) => envRefs(c.env) || (c.envFrom ?? []).some((f) => f.secretRef))) return true;
  return (spec.volumes ?? []).some((v) => v.secret || v.projected?.sources?.some((s) => s.secret)
    || v.azureFile || v.cephfs?.secretRef || v.cinder?.secretRef || v.flexVolume?.secretRef || v.iscsi?.secretRef
    || v.rbd?.secretRef || v.scaleIO?.secretRef || v.storageos?.secretRef || v.csi?.nodePublishSecretRef);
}

/** strconv.ParseBool's true spellings; anything else (or an error) is false. */
function parseBool(v: string | undefined): boolean {
  return v !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
}

function shouldAutomount(sa: ServiceAccount, spec: PodSpec): boolean {
  if (typeof spec.automountServiceAccountToken === 'boolean') return spec.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

function mountToken(spec: PodSpec, suffix: () => string): void {
  // An earlier kube-api-access-* volume (a re-submitted pod) is reused.
  const existing = (spec.volumes ?? []).find((v) => v.name?.startsWith(`${serviceAccountVolumeName}-`));
  const volumeName = existing?.name ?? `${serviceAccountVolumeName}-${suffix()}`;
  let needsVolume = false;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if ((c.volumeMounts ?? []).some((m) => m.mountPath === defaultAPITokenMountPath)) continue;
    const mount: VolumeMount = { name: volumeName, readOnly: true, mountPath: defaultAPITokenMountPath };
    c.volumeMounts = [...(c.volumeMounts ?? []), mount];
    needsVolume = true;
  }
  if (!existing && needsVolume) spec.volumes = [...(spec.volumes ?? []), tokenVolume(volumeName)];
}

function limitSecretReferences(sa: ServiceAccount, spec: PodSpec): string | undefined {
  const mountable = new Set((sa.secrets ?? []).map((s) => s.name ?? ''));
  const saName = sa.metadata?.name ?? '';
  for (const v of spec.volumes ?? []) {
    if (v.secret && !mountable.has(v.secret.secretName ?? '')) {
      return `volume with secret.secretName="${v.secret.secretName ?? ''}" is not allowed because service account ${saName} does not reference that secret`;
    }
  }
  for (const [kind, list] of [['init container', spec.initContainers], ['container', spec.containers]] as const) {
    for (const c of list ?? []) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && !mountable.has(ref.name ?? '')) {
          return `${kind} ${c.name} with envVar ${e.name} referencing secret.secretName="${ref.name ?? ''}" is not allowed because service account ${saName} does not reference that secret`;
        }
      }
    }
  }
  const pullable = new Set((sa.imagePullSecrets ?? []).map((s) => s.name ?? ''));
  for (const [i, ref] of (spec.imagePullSecrets ?? []).entries()) {
    if (!pullable.has(ref.name ?? '')) {
      return `imagePullSecrets[${i}].name="${ref.name ?? ''}" is not allowed because service account ${saName} does not reference that imagePullSecret`;
    }
  }
  return undefined;
}

export function serviceAccount(deps: AdmissionDeps, opts: ServiceAccountOptions = {}): AdmissionPlugin {
  const suffix = opts.nameSuffix ?? randomSuffix;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  /** The cache, then storage: up to 10 tries for `default`, which the controller is about to create. */
  const getServiceAccount = async (namespace: string, name: string): Promise<ServiceAccount> => {
    const store = deps.registry.store({ group: '', plural: 'serviceaccounts' });
    await store.cache.start();
    const cached = store.cache.get(store.key(namespace, name));
    if (cached) return cached as unknown as ServiceAccount;
    const attempts = name === defaultServiceAccountName ? 10 : 1;
    const interval = 100 + randomInt(100);
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await sleep(interval);
      try {
        return await store.get(namespace, name) as unknown as ServiceAccount;
      } catch (err) {
        if (!(apierrors.isStatusError(err) && err.code === 404)) throw err;
      }
    }
    throw apierrors.notFound('', 'serviceaccount', name);
  };

  const lookup = async (a: AdmissionAttributes, name: string): Promise<ServiceAccount> => {
    try {
      return await getServiceAccount(a.namespace, name);
    } catch (err) {
      const why = apierrors.isStatusError(err) ? err.message : String(err);
      throw admissionForbidden(a, `error looking up service account ${a.namespace}/${name}: ${why}`);
    }
  };

  const validateMirrorPod = (a: AdmissionAttributes, spec: PodSpec): void => {
    if (spec.serviceAccountName) throw admissionForbidden(a, 'a mirror pod may not reference service accounts');
    if (referencesSecrets(spec)) throw admissionForbidden(a, 'a mirror pod may not reference secrets');
    if ((spec.volumes ?? []).some((v) => v.projected?.sources?.some((s) => s.serviceAccountToken))) {
      throw admissionForbidden(a, 'a mirror pod may not use ServiceAccountToken volume projections');
    }
  };

  const isMirror = (pod: Pod) => Object.hasOwn(pod.metadata?.annotations ?? {}, mirrorPodAnnotation);

  return {
    name: 'ServiceAccount',
    operations: ['CREATE'],
    async admit(a) {
      if (!isCoreResource(a, 'pods') || !a.object) return;
      const pod = a.object as unknown as Pod;
      const spec = (pod.spec ??= { containers: [] });
      if (isMirror(pod)) return validateMirrorPod(a, spec);
      // v1 conversion has already copied the deprecated serviceAccount field upstream.
      if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || defaultServiceAccountName;
      const sa = await lookup(a, spec.serviceAccountName);
      if (shouldAutomount(sa, spec)) mountToken(spec, suffix);
      if ((spec.imagePullSecrets ?? []).length === 0 && (sa.imagePullSecrets ?? []).length > 0) {
        spec.imagePullSecrets = (sa.imagePullSecrets ?? []).map((s) => ({ name: s.name ?? '' }));
      }
    },
    async validate(a) {
      if (!isCoreResource(a, 'pods') || !a.object) return;
      const pod = a.object as unknown as Pod;
      const spec = pod.spec ?? { containers: [] };
      if (isMirror(pod)) return validateMirrorPod(a, spec);
      if (!spec.serviceAccountName) {
        throw admissionForbidden(a, `no service account specified for pod ${a.namespace}/${pod.metadata?.name ?? ''}`);
      }
      const sa = await lookup(a, spec.serviceAccountName);
      if (parseBool(sa.metadata?.annotations?.[enforceMountableSecretsAnnotation])) {
        const problem = limitSecretReferences(sa, spec);
        if (problem) throw admissionForbidden(a, problem);
      }
    },
  };
}

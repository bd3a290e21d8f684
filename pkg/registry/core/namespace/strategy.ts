/**
 * Namespace strategy, after pkg/registry/core/namespace/strategy.go (1.32): a new namespace is
 * Active with the `kubernetes` finalizer and the kubernetes.io/metadata.name label; spec and
 * status only change through /finalize and /status.
 */
import type { Namespace, NamespaceSpec, NamespaceStatus } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../../../apierrors/index.ts';
import type { Strategy, StrategyContext } from '../../generic/strategy.ts';
import type { KubeObject } from '../../../api/index.ts';
import {
  ensureObject, invalid, isQualifiedName, nameIsDNSLabel, objectAt, validateObjectMeta, validateObjectMetaUpdate,
} from '../../validation/index.ts';

const metadataNameLabel = 'kubernetes.io/metadata.name';
const standardFinalizers = ['kubernetes'];

/** validateFinalizerName: qualified, and either standard or fully qualified (with a '/'). */
function validateFinalizers(finalizers: string[] | undefined, path: (i: number) => string): FieldError[] {
  const errs: FieldError[] = [];
  (finalizers ?? []).forEach((f, i) => {
    const p = path(i);
    errs.push(...isQualifiedName(f).map((m) => invalid(p, f, m)));
    if (!f.includes('/') && !standardFinalizers.includes(f)) {
      errs.push(invalid(p, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

function validateNamespace(ns: Namespace): FieldError[] {
  return [
    ...validateObjectMeta(ns.metadata ?? {}, nameIsDNSLabel),
    ...validateFinalizers(ns.spec?.finalizers, () => 'spec.finalizers'),
  ];
}

function setNameLabel(obj: KubeObject): void {
  if (!obj.metadata.name) return;
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [metadataNameLabel]: obj.metadata.name };
}

/** The /finalize subresource: only spec.finalizers may change there. */
export const namespaceFinalizeStrategy = {
  prepareForUpdate(obj: KubeObject, old: KubeObject, _ctx?: StrategyContext): void {
    const finalizers = objectAt<NamespaceSpec>(obj, 'spec')?.finalizers;
    const next = structuredClone(old);
    obj.spec = { ...(objectAt<NamespaceSpec>(next, 'spec') ?? {}), finalizers };
    if (!finalizers) delete (obj.spec as NamespaceSpec).finalizers;
    obj.status = next.status;
  },
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
    return [
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...validateFinalizers(objectAt<NamespaceSpec>(obj, 'spec')?.finalizers, (i) => `spec.finalizers[${i}]`),
    ];
  },
};

export const namespaceStrategy: Strategy = {
  applyDefaults(obj) {
    setNameLabel(obj);
    const status = ensureObject<NamespaceStatus>(obj, 'status');
    status.phase ||= 'Active';
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Active' } satisfies NamespaceStatus;
    const spec = ensureObject<NamespaceSpec>(obj, 'spec');
    // Required on create; it is not a default because it may be removed over the object's life.
    if (!(spec.finalizers ?? []).includes('kubernetes')) spec.finalizers = [...(spec.finalizers ?? []), 'kubernetes'];
  },
  prepareForUpdate(obj, old) {
    const finalizers = objectAt<NamespaceSpec>(old, 'spec')?.finalizers;
    const spec = ensureObject<NamespaceSpec>(obj, 'spec');
    if (finalizers) spec.finalizers = [...finalizers]; else delete spec.finalizers;
    obj.status = structuredClone(old.status);
  },
  validate: (obj) => validateNamespace(obj as unknown as Namespace),
  validateUpdate: (obj, old) => [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateNamespace(obj as unknown as Namespace)],
  // The name of a generateName namespace is only final after defaulting, so the label is set again.
  canonicalize: setNameLabel,
  returnDeletedObject: true,
  // A deleted namespace stays, Terminating, until the namespace controller has emptied it and
  // removed its spec.finalizers through /finalize (pkg/registry/core/namespace/storage).
  deletionPending: (obj) => (objectAt<NamespaceSpec>(obj, 'spec')?.finalizers ?? []).length > 0,
  prepareForDelete(obj) {
    ensureObject<NamespaceStatus>(obj, 'status').phase = 'Terminating';
  },
  getAttrs: (obj) => ({ 'status.phase': objectAt<NamespaceStatus>(obj, 'status')?.phase ?? '' }),
  status: {
    prepareForUpdate(obj) {
      // Decoding defaults an empty phase to Active before validation sees it.
      const status = ensureObject<NamespaceStatus>(obj, 'status');
      status.phase ||= 'Active';
    },
    validateUpdate(obj, old) {
      const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
      const phase = objectAt<NamespaceStatus>(obj, 'status')?.phase ?? '';
      if (!obj.metadata.deletionTimestamp && phase !== 'Active') {
        errs.push(invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty"));
      } else if (obj.metadata.deletionTimestamp && phase !== 'Terminating') {
        errs.push(invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
      }
      return errs;
    },
  },
};

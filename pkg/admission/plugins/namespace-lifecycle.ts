/**
 * NamespaceLifecycle (plugin/pkg/admission/namespace/lifecycle): nothing is created in a namespace
 * that does not exist or is being terminated, and default, kube-system and kube-public can never
 * be deleted. A namespace this server was asked to delete is read live for a while, since its
 * cached state may lag (forceLiveLookupCache).
 */
import * as apierrors from '../../apierrors/index.ts';
import type { KubeObject } from '../../api/index.ts';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.ts';
import type { AdmissionDeps } from './deps.ts';
import { cachedOrLive } from './lookup.ts';

const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public']);
/** forceLiveLookupTTL */
const liveLookupTtlMs = 30_000;

/** Authorization reviews are admitted whatever their namespace: answering otherwise would leak it. */
const accessReviews = new Set(['localsubjectaccessreviews']);

function isNamespace(a: AdmissionAttributes): boolean {
  return a.entry.group === '' && a.entry.kind === 'Namespace';
}

export function namespaceLifecycle(deps: AdmissionDeps): AdmissionPlugin {
  const liveUntil = new Map<string, number>();
  const namespaces = deps.registry.store({ group: '', plural: 'namespaces' });

  const lookup = (name: string): Promise<KubeObject | undefined> => {
    const until = liveUntil.get(name);
    const live = until !== undefined && until >= Date.now();
    if (until !== undefined && !live) liveUntil.delete(name);
    return cachedOrLive(namespaces, undefined, name, { live });
  };

  return {
    name: 'NamespaceLifecycle',
    operations: ['CREATE', 'UPDATE', 'DELETE'],
    async admit(a) {
      if (isNamespace(a)) {
        if (a.operation === 'DELETE') {
          if (immortalNamespaces.has(a.name)) throw apierrors.forbidden('', 'namespaces', a.name, 'this namespace may not be deleted');
          liveUntil.set(a.name, Date.now() + liveLookupTtlMs);
        }
        return;
      }
      if (!a.namespace || !a.entry.namespaced || a.operation === 'DELETE') return;
      if (a.entry.group === 'authorization.k8s.io' && accessReviews.has(a.entry.plural)) return;
      const ns = await lookup(a.namespace);
      if (!ns) throw apierrors.notFound('', 'namespaces', a.namespace);
      if (a.operation !== 'CREATE') return;
      const phase = (ns.status as { phase?: string } | undefined)?.phase;
      if (!ns.metadata.deletionTimestamp && phase !== 'Terminating') return;
      const err = apierrors.forbidden(a.entry.group, a.entry.plural, a.name,
        `unable to create new content in namespace ${a.namespace} because it is being terminated`);
      err.details!.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${a.namespace} is being terminated`, field: 'metadata.namespace' }];
      throw err;
    },
  };
}

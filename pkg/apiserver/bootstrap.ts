/**
 * Objects every cluster has from start-up: the four system namespaces and the `kubernetes`
 * service in default. Creating them is idempotent; several apiservers may race harmlessly.
 */
import type { KubeObject } from '../api/index.ts';
import * as apierrors from '../apierrors/index.ts';
import type { Registry } from '../registry/registry.ts';

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Creates unless the object is already there (after a restart) or another apiserver won the race. */
async function ensure(exists: () => Promise<unknown>, create: () => Promise<unknown>): Promise<void> {
  try {
    await exists();
    return;
  } catch (err) {
    if (!(apierrors.isStatusError(err) && err.code === 404)) throw err;
  }
  try {
    await create();
  } catch (err) {
    if (!(apierrors.isStatusError(err) && (err.code === 409 || err.code === 422))) throw err;
  }
}

export async function bootstrapCluster(registry: Registry, firstServiceIP: string, securePort: number): Promise<void> {
  const namespaces = registry.store({ group: '', plural: 'namespaces' });
  for (const name of systemNamespaces) {
    await ensure(() => namespaces.get(undefined, name), () => namespaces.create(undefined, { metadata: { name } }));
  }
  const services = registry.store({ group: '', plural: 'services' });
  const svc: KubeObject = {
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: firstServiceIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: securePort }] },
  };
  await ensure(() => services.get('default', 'kubernetes'), () => services.create('default', svc));
}

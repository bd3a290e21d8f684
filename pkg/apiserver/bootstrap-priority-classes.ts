/**
 * The system PriorityClasses every cluster has (upstream's post-start hook
 * scheduling/bootstrap-system-priority-classes): created when missing, left alone otherwise.
 * Several apiservers may race; losing the race (AlreadyExists) is fine.
 */
import * as apierrors from '../apierrors/index.ts';
import type { Registry } from '../registry/registry.ts';
import { systemPriorityClasses } from '../registry/scheduling/priorityclass/system-classes.ts';

export async function bootstrapPriorityClasses(registry: Registry): Promise<void> {
  const store = registry.store({ group: 'scheduling.k8s.io', plural: 'priorityclasses' });
  for (const pc of systemPriorityClasses) {
    try {
      await store.get(undefined, pc.name);
      continue;
    } catch (err) {
      if (!(apierrors.isStatusError(err) && err.code === 404)) throw err;
    }
    try {
      await store.create(undefined, { metadata: { name: pc.name }, value: pc.value, description: pc.description });
    } catch (err) {
      if (!(apierrors.isStatusError(err) && err.code === 409)) throw err;
    }
  }
}

/** One graph per registry, fed from its pods cache, created on first use (as rbacResolverFor). */
import type { Registry } from '../../registry/registry.ts';
import { GraphPopulator } from './graph-populator.ts';

const populators = new WeakMap<Registry, GraphPopulator>();

export function nodeGraphFor(registry: Registry): GraphPopulator {
  let p = populators.get(registry);
  if (!p) populators.set(registry, p = new GraphPopulator(registry.store({ group: '', plural: 'pods' }).cache));
  return p;
}

/**
 * The evaluators by resource (pkg/quota/v1/evaluator/core/registry.go NewEvaluators and
 * pkg/quota/v1/install): pods and services have their own logic, four core kinds keep a legacy
 * alias for their count, and every other resource is counted as `count/<resource>.<group>`.
 */
import { objectCountEvaluator } from './evaluators/object-count.ts';
import { podsEvaluator } from './evaluators/pods.ts';
import { servicesEvaluator } from './evaluators/services.ts';
import type { Evaluator, GroupResource } from './types.ts';

/** Resources quota never looks at (install.DefaultIgnoredResources). */
const ignored = new Set(['/events']);

const legacyAliases: Record<string, string> = {
  configmaps: 'configmaps', resourcequotas: 'resourcequotas', replicationcontrollers: 'replicationcontrollers', secrets: 'secrets',
};

const evaluators = new Map<string, Evaluator>();
for (const e of [podsEvaluator, servicesEvaluator]) evaluators.set(key(e.groupResource), e);
for (const [resource, alias] of Object.entries(legacyAliases)) {
  evaluators.set(key({ group: '', resource }), objectCountEvaluator({ group: '', resource }, alias));
}

function key(gr: GroupResource): string {
  return `${gr.group}/${gr.resource}`;
}

export function isIgnoredResource(gr: GroupResource): boolean {
  return ignored.has(key(gr));
}

/** The evaluator of a resource; a plain object counter for any resource without its own. */
export function evaluatorFor(gr: GroupResource): Evaluator {
  let e = evaluators.get(key(gr));
  if (!e) {
    e = objectCountEvaluator(gr);
    evaluators.set(key(gr), e);
  }
  return e;
}

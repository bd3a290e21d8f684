import { describe, expect, it } from 'vitest';
import type { ClusterRole } from 'kubernetes-types/rbac/v1.js';
import { aggregatedRules, rulesEqual } from './aggregate.ts';

const cr = (name: string, labels: Record<string, string>, rules: ClusterRole['rules'], aggregationRule?: ClusterRole['aggregationRule']): ClusterRole =>
  ({ metadata: { name, labels }, rules, aggregationRule });

describe('aggregatedRules', () => {
  it('unions the rules of matching roles by name order, once each, never its own', () => {
    const target = cr('monitoring', { 'agg': 'true' }, [{ verbs: ['stale'] }], { clusterRoleSelectors: [{ matchLabels: { agg: 'true' } }] });
    const b = cr('b', { agg: 'true' }, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]);
    const a = cr('a', { agg: 'true' }, [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], apiGroups: [''], resources: ['pods'] }]);
    const other = cr('c', { agg: 'false' }, [{ verbs: ['delete'], apiGroups: [''], resources: ['pods'] }]);
    expect(aggregatedRules(target, [target, b, other, a])).toEqual([
      { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
    ]);
  });

  it('compares rules as Go semantic equality does', () => {
    expect(rulesEqual([], undefined)).toBe(true);
    expect(rulesEqual([{ verbs: ['get'], resourceNames: [] }], [{ verbs: ['get'] }])).toBe(true);
    expect(rulesEqual([{ verbs: ['get'] }], [{ verbs: ['list'] }])).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/index.ts';
import { replicaSetStrategy } from './strategy.ts';

describe('replicaSetStrategy', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };

  it('defaults replicas, resets status and validates', () => {
    const rs: KubeObject = { metadata: { name: 'web-1', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, template } };
    replicaSetStrategy.applyDefaults?.(rs);
    replicaSetStrategy.prepareForCreate?.(rs, { now: new Date(0) });
    expect((rs.spec as { replicas: number }).replicas).toBe(1);
    expect(rs.status).toEqual({ replicas: 0 });
    expect(replicaSetStrategy.validate?.(rs)).toEqual([]);
    expect(replicaSetStrategy.getAttrs?.(rs)).toEqual({ 'status.replicas': '0' });
  });

  it('reports the upstream "deployment" wording for an empty selector', () => {
    const rs: KubeObject = { metadata: { name: 'web-1', namespace: 'default' }, spec: { selector: {}, template } };
    replicaSetStrategy.applyDefaults?.(rs);
    expect(replicaSetStrategy.validate?.(rs)?.map((e) => e.detail)).toEqual([
      'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ]);
  });
});

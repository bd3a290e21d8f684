import { describe, expect, it } from 'vitest';
import { maxRevision, parseRevision, setNewReplicaSetAnnotations } from './replica-sets.ts';
import type { Deployment, ReplicaSet } from './types.ts';

const rs = (revision?: string): ReplicaSet => ({ metadata: { annotations: revision === undefined ? {} : { 'deployment.kubernetes.io/revision': revision } } });

describe('deployment revisions', () => {
  it('are int64: exact beyond 2^53, as upstream parses them', () => {
    // The Deployment RollingUpdate conformance row adopts a ReplicaSet at this revision and expects + 1.
    const max = maxRevision([rs('3546343826724305832'), rs('7'), rs('not-a-number'), rs()]);
    expect(max).toBe(3546343826724305832n);
    const next = rs();
    setNewReplicaSetAnnotations({ metadata: {}, spec: { replicas: 1 } } as Deployment, next, max + 1n, true);
    expect(next.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3546343826724305833');
  });

  it('refuse what is not an int64', () => {
    expect(parseRevision('9223372036854775807')).toBe(9223372036854775807n);
    expect(parseRevision('9223372036854775808')).toBeUndefined();
    expect(parseRevision('1.5')).toBeUndefined();
    expect(parseRevision('')).toBeUndefined();
  });
});

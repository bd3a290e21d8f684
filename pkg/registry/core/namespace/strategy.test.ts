import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/index.ts';
import { namespaceStrategy } from './strategy.ts';

const ns = (name: string, finalizers?: string[]): KubeObject => ({ metadata: { name }, spec: finalizers ? { finalizers } : {} });

describe('namespaceStrategy', () => {
  it('holds deletion while spec.finalizers remain and marks the namespace Terminating', () => {
    const obj = ns('team-a', ['kubernetes']);
    expect(namespaceStrategy.deletionPending?.(obj)).toBe(true);
    expect(namespaceStrategy.deletionPending?.(ns('team-a', []))).toBe(false);
    namespaceStrategy.prepareForDelete?.(obj);
    expect(obj.status).toEqual({ phase: 'Terminating' });
  });
  it('adds the kubernetes finalizer and the name label on create', () => {
    const obj = ns('team-a');
    namespaceStrategy.applyDefaults?.(obj);
    namespaceStrategy.prepareForCreate?.(obj, { now: new Date(0) });
    expect(obj.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(obj.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
  });
});

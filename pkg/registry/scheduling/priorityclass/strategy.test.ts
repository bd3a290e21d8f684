import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/index.ts';
import { priorityClassStrategy as s } from './strategy.ts';

const pc = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({ metadata: { name }, value: 10, ...extra });

describe('PriorityClass strategy', () => {
  it('defaults preemptionPolicy', () => {
    const obj = pc('a');
    s.applyDefaults!(obj);
    expect(obj.preemptionPolicy).toBe('PreemptLowerPriority');
  });

  it('reserves the system- prefix', () => {
    expect(s.validate!(pc('system-foo'))).toEqual([{
      type: 'FieldValueForbidden', field: 'metadata.name',
      detail: "Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-foo is not a known system priority class",
    }]);
    expect(s.validate!(pc('system-node-critical', { value: 2000001000 }))).toEqual([]);
    expect(s.validate!(pc('system-node-critical'))[0]!.detail).toMatch(/error: value of system-node-critical PriorityClass must be 2000001000$/);
  });

  it('caps user values at one billion', () => {
    expect(s.validate!(pc('big', { value: 1_000_000_001 }))).toEqual([{
      type: 'FieldValueForbidden', field: 'value', detail: 'Forbidden: maximum allowed value of a user defined priority is 1000000000',
    }]);
  });

  it('refuses an unknown preemptionPolicy', () => {
    expect(s.validate!(pc('a', { preemptionPolicy: 'Sometimes' }))).toEqual([{
      type: 'FieldValueNotSupported', field: 'preemptionPolicy',
      detail: 'Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
    }]);
  });

  it('keeps value and preemptionPolicy', () => {
    const old = pc('a', { preemptionPolicy: 'Never' });
    const errs = s.validateUpdate!(pc('a', { value: 11, preemptionPolicy: 'PreemptLowerPriority' }), old);
    expect(errs.map((e) => [e.field, e.detail])).toEqual([
      ['value', 'Forbidden: may not be changed in an update.'],
      ['preemptionPolicy', 'Invalid value: "PreemptLowerPriority": field is immutable'],
    ]);
  });
});

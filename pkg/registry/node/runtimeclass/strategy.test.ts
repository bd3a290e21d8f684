import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/index.ts';
import { runtimeClassStrategy as s } from './strategy.ts';

const rc = (handler: string, extra: Record<string, unknown> = {}): KubeObject => ({ metadata: { name: 'rc' }, handler, ...extra });

describe('RuntimeClass strategy', () => {
  it('needs a DNS-label handler', () => {
    expect(s.validate!(rc('runc'))).toEqual([]);
    const errs = s.validate!(rc('Bad_Handler'));
    expect(errs).toHaveLength(1);
    expect(errs[0]!.field).toBe('handler');
    expect(errs[0]!.detail).toMatch(/^Invalid value: "Bad_Handler": a lowercase RFC 1123 label must consist of/);
    expect(s.validate!(rc(''))[0]!.field).toBe('handler');
  });

  it('keeps the handler', () => {
    expect(s.validateUpdate!(rc('kata'), rc('runc')).map((e) => e.detail)).toEqual(['Invalid value: "kata": field is immutable']);
  });

  it('refuses negative overhead and bad scheduling', () => {
    const errs = s.validate!(rc('runc', {
      overhead: { podFixed: { cpu: '-1' } },
      scheduling: { nodeSelector: { 'bad key!': 'v' }, tolerations: [{ key: 'k', operator: 'Exists' }, { key: 'k', operator: 'Exists' }] },
    }));
    expect(errs.map((e) => e.field)).toEqual(['overhead.limits[cpu]', 'scheduling.nodeSelector', 'scheduling.tolerations[1]']);
  });
});

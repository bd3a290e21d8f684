import { describe, expect, it } from 'vitest';
import { mergeTolerations } from './tolerations.ts';

describe('mergeTolerations', () => {
  it('keeps both lists, without repeats', () => {
    const a = { key: 'a', operator: 'Equal', value: '1', effect: 'NoSchedule' };
    const b = { key: 'b', operator: 'Exists' };
    expect(mergeTolerations([a], [b, { ...a }])).toEqual([a, b]);
  });

  it('drops a toleration another one covers', () => {
    const narrow = { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' };
    const broad = { key: 'k', operator: 'Exists' };
    expect(mergeTolerations([narrow], [broad])).toEqual([broad]);
    expect(mergeTolerations([{ operator: 'Exists' }], [narrow, broad])).toEqual([{ operator: 'Exists' }]);
  });

  it('keeps the shorter NoExecute window when a longer one exists', () => {
    const short = { key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 };
    const long = { key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 100 };
    expect(mergeTolerations([short], [long])).toEqual([long]);
    expect(mergeTolerations([long], [short])).toEqual([long]);
  });
});

import { describe, expect, it } from 'vitest';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { formatLabels, formatLabelSelector, joinHostPort, labelSelectorString, layoutContainerCells } from './format.ts';

describe('formatLabels', () => {
  it.each([
    [undefined, '<none>'],
    [{}, '<none>'],
    [{ tier: 'frontend', app: 'guestbook' }, 'app=guestbook,tier=frontend'],
  ])('%j → %s', (labels, want) => {
    expect(formatLabels(labels)).toBe(want);
  });
});

describe('formatLabelSelector', () => {
  const cases: [LabelSelector | undefined, string][] = [
    [undefined, '<none>'],
    [{}, '<none>'],
    [{ matchLabels: { app: 'web', 'pod-template-hash': '5d8f' } }, 'app=web,pod-template-hash=5d8f'],
    [
      {
        matchLabels: { tier: 'db' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'dev'] },
          { key: 'zone', operator: 'NotIn', values: ['b'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'app', operator: 'Exists' },
        ],
      },
      'app,!canary,env in (dev,prod),tier=db,zone notin (b)',
    ],
    [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, '<error>'],
  ];
  it.each(cases)('%j → %s', (sel, want) => {
    expect(formatLabelSelector(sel)).toBe(want);
  });

  it('leaves an empty selector empty in the raw form deployments print', () => {
    expect(labelSelectorString({})).toBe('');
    expect(labelSelectorString({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] })).toBeUndefined();
  });
});

describe('layoutContainerCells / joinHostPort', () => {
  it('joins names and images in order', () => {
    expect(layoutContainerCells([{ name: 'app', image: 'nginx:1.25' }, { name: 'log', image: 'busybox' }])).toEqual(['app,log', 'nginx:1.25,busybox']);
    expect(layoutContainerCells(undefined)).toEqual(['', '']);
  });
  it('brackets IPv6 hosts', () => {
    expect(joinHostPort('10.0.0.1', 80)).toBe('10.0.0.1:80');
    expect(joinHostPort('fd00::1', 443)).toBe('[fd00::1]:443');
  });
});

import { describe, expect, it } from 'vitest';
import { labelSelectorFromSet, parseLabelSelector, selectorMatches, parseFieldSelector, nothingLabelSelector } from './index.ts';

type Labels = Record<string, string> | undefined;

describe('LabelSelector.matches', () => {
  it.each<[string, Labels, boolean]>([
    ['', {}, true],
    ['', undefined, true],
    ['x=y', { x: 'y' }, true],
    ['x=y', { x: 'z' }, false],
    ['x=y', {}, false],
    ['x==y', { x: 'y' }, true],
    ['x=', { x: '' }, true],
    ['x=', {}, false],
    ['x!=y', {}, true],
    ['x!=y', undefined, true],
    ['x!=y', { x: 'y' }, false],
    ['x!=y', { x: 'z' }, true],
    ['x in (a,b)', { x: 'b' }, true],
    ['x in (a,b)', { x: 'c' }, false],
    ['x in (a,b)', {}, false],
    ['x in ()', { x: '' }, true],
    ['x notin (a)', {}, true],
    ['x notin (a)', { x: 'a' }, false],
    ['x notin (a)', { x: 'b' }, true],
    ['x', { x: '' }, true],
    ['x', {}, false],
    ['x', undefined, false],
    ['!x', {}, true],
    ['!x', { x: 'a' }, false],
    ['x>1', { x: '2' }, true],
    ['x>1', { x: '1' }, false],
    ['x>1', { x: 'a' }, false],
    ['x>1', {}, false],
    ['x<1', { x: '-5' }, true],
    ['x<1', { x: '+0' }, true],
    ['x>9223372036854775806', { x: '9223372036854775807' }, true],
    ['x>1', { x: '9223372036854775808' }, false],
    ['constructor', {}, false],
    ['!toString', {}, true],
    ['a=1,b notin (2),!c', { a: '1', b: '3' }, true],
    ['a=1,b notin (2),!c', { a: '1', b: '3', c: '' }, false],
  ])('%j on %j is %s', (sel, labels, want) => {
    expect(parseLabelSelector(sel).matches(labels)).toBe(want);
  });

  it.each<[string, string, string | undefined]>([
    ['a=b', 'a', 'b'],
    ['a==b', 'a', 'b'],
    ['a in (b)', 'a', 'b'],
    ['a in (b,c)', 'a', undefined],
    ['a!=b', 'a', undefined],
    ['a=b', 'c', undefined],
  ])('%j requires exact match on %j: %j', (sel, key, want) => {
    expect(parseLabelSelector(sel).requiresExactMatch(key)).toBe(want);
  });
});

describe('labelSelectorFromSet', () => {
  it('selects exactly the set, sorted by key', () => {
    const sel = labelSelectorFromSet({ b: '2', a: '1' });
    expect(sel.toString()).toBe('a=1,b=2');
    expect(sel.matches({ a: '1', b: '2', c: '3' })).toBe(true);
    expect(sel.matches({ a: '1' })).toBe(false);
    expect(labelSelectorFromSet({}).empty).toBe(true);
  });
});

describe('selectorMatches', () => {
  const label = parseLabelSelector('app=web');
  const field = parseFieldSelector('spec.nodeName=n1');
  it.each<[string, Parameters<typeof selectorMatches>[1], boolean]>([
    ['both match', { labels: { app: 'web' }, fields: { 'spec.nodeName': 'n1' } }, true],
    ['label fails', { labels: { app: 'db' }, fields: { 'spec.nodeName': 'n1' } }, false],
    ['field fails', { labels: { app: 'web' }, fields: {} }, false],
  ])('%s', (_name, attrs, want) => {
    expect(selectorMatches({ label, field }, attrs)).toBe(want);
  });

  it('treats absent selectors as everything and nothing as nothing', () => {
    expect(selectorMatches({}, {})).toBe(true);
    expect(selectorMatches({ label: nothingLabelSelector() }, { labels: {} })).toBe(false);
  });
});

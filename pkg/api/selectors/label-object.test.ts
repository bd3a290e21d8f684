import { describe, expect, it } from 'vitest';
import { StatusError } from '../../apierrors/index.ts';
import { labelSelectorFromObject, type LabelSelectorObject } from './index.ts';
import { nameMsg, valueMsg } from './test-messages.ts';

describe('labelSelectorFromObject', () => {
  it.each<[string, LabelSelectorObject | null | undefined, string, boolean]>([
    ['null', null, '', false],
    ['undefined', undefined, '', false],
    ['{}', {}, '', true],
    ['empty lists', { matchLabels: {}, matchExpressions: [] }, '', true],
  ])('%s: toString %j, empty %s', (_name, obj, printed, empty) => {
    const sel = labelSelectorFromObject(obj);
    expect(sel.toString()).toBe(printed);
    expect(sel.empty).toBe(empty);
  });

  it('nil matches nothing, {} matches everything', () => {
    expect(labelSelectorFromObject(null).matches({ a: 'b' })).toBe(false);
    expect(labelSelectorFromObject(null).matches({})).toBe(false);
    expect(labelSelectorFromObject({}).matches({})).toBe(true);
  });

  it('combines matchLabels and matchExpressions, sorted by key', () => {
    const sel = labelSelectorFromObject({
      matchLabels: { tier: 'web', app: 'shop' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'dev'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'NotIn', values: ['a'] },
        { key: 'owner', operator: 'Exists', values: [] },
      ],
    });
    expect(sel.toString()).toBe('app=shop,!canary,env in (dev,prod),owner,tier=web,zone notin (a)');
    expect(sel.matches({ app: 'shop', tier: 'web', env: 'dev', owner: 'me' })).toBe(true);
    expect(sel.matches({ app: 'shop', tier: 'web', env: 'dev', owner: 'me', zone: 'a' })).toBe(false);
    expect(sel.matches({ app: 'shop', tier: 'web', env: 'dev', owner: 'me', canary: '' })).toBe(false);
    expect(sel.matches({ app: 'shop', tier: 'web', env: 'qa', owner: 'me' })).toBe(false);
  });

  it.each<[string, LabelSelectorObject, string]>([
    ['unknown operator', { matchExpressions: [{ key: 'k', operator: 'Foo' }] }, '"Foo" is not a valid pod selector operator'],
    ['lower-case operator', { matchExpressions: [{ key: 'k', operator: 'in', values: ['a'] }] }, '"in" is not a valid pod selector operator'],
    ['In without values', { matchExpressions: [{ key: 'k', operator: 'In' }] },
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    ['NotIn with empty values', { matchExpressions: [{ key: 'k', operator: 'NotIn', values: [] }] },
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"],
    ['Exists with values', { matchExpressions: [{ key: 'k', operator: 'Exists', values: ['a', 'b'] }] },
      'values: Invalid value: []string{"a", "b"}: values set must be empty for exists and does not exist'],
    ['bad expression key', { matchExpressions: [{ key: '-k', operator: 'Exists' }] }, `key: Invalid value: "-k": ${nameMsg}`],
    ['bad matchLabels value', { matchLabels: { a: '-b' } }, `values[0][a]: Invalid value: "-b": ${valueMsg}`],
    ['bad matchLabels key and value', { matchLabels: { '-a': '-b' } },
      `[key: Invalid value: "-a": ${nameMsg}, values[0][-a]: Invalid value: "-b": ${valueMsg}]`],
    ['first bad label in key order', { matchLabels: { z: '-z', b: '-b' } }, `values[0][b]: Invalid value: "-b": ${valueMsg}`],
  ])('%s: %j', (_name, obj, message) => {
    let caught: unknown;
    try {
      labelSelectorFromObject(obj);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StatusError);
    expect((caught as StatusError).code).toBe(400);
    expect((caught as StatusError).message).toBe(message);
  });
});

import { describe, expect, it } from 'vitest';
import { StatusError } from '../../apierrors/index.ts';
import { checkFieldsSupported, escapeFieldValue, fieldSelectorFromSet, parseFieldSelector, type FieldSupportOptions } from './index.ts';
import { catchStatusError } from '../../apierrors/testing.ts';

describe('parseFieldSelector', () => {
  it.each([
    ['', '', []],
    ['x=a,y=b,z=c', 'x=a,y=b,z=c', [['x', '=', 'a'], ['y', '=', 'b'], ['z', '=', 'c']]],
    ['x!=a,y=b', 'x!=a,y=b', [['x', '!=', 'a'], ['y', '=', 'b']]],
    ['x==a', 'x=a', [['x', '=', 'a']]],
    ['b=1,a=2', 'a=2,b=1', [['a', '=', '2'], ['b', '=', '1']]],
    ['x=a||y\\=b', 'x=a||y\\=b', [['x', '=', 'a||y=b']]],
    ['x=a\\=\\=b', 'x=a\\=\\=b', [['x', '=', 'a==b']]],
    ['x=a\\,b', 'x=a\\,b', [['x', '=', 'a,b']]],
    ['x=a\\\\', 'x=a\\\\', [['x', '=', 'a\\']]],
    ['metadata.name=foo,,', 'metadata.name=foo', [['metadata.name', '=', 'foo']]],
    [',', '', []],
    ['x=', 'x=', [['x', '=', '']]],
    ['=v', '=v', [['', '=', 'v']]],
    [' a = b ', ' a = b ', [[' a ', '=', ' b ']]],
  ])('parses %j as %j', (input, printed, reqs) => {
    const sel = parseFieldSelector(input);
    expect(sel.toString()).toBe(printed);
    expect(sel.requirements.map((r) => [r.field, r.op, r.value])).toEqual(reqs);
    expect(sel.empty).toBe(reqs.length === 0);
  });

  it.each([
    ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
    ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
    ['a=!=b', 'invalid field selector: unescaped character in value: 61'],
    ['a!==b', 'invalid field selector: unescaped character in value: 61'],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x in (a)', "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['x=a\\', 'invalid field selector: invalid escape sequence: \\'],
    ['x=a\\\\\\', 'invalid field selector: invalid escape sequence: \\'],
    ['x=\\a', 'invalid field selector: invalid escape sequence: \\a'],
  ])('rejects %j with %j', (input, message) => {
    const err = catchStatusError(() => parseFieldSelector(input));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe(message);
  });

  it.each<[string, Record<string, string>, boolean]>([
    ['status.phase!=Running', {}, true],
    ['status.phase!=Running', { 'status.phase': 'Running' }, false],
    ['spec.nodeName=', {}, true],
    ['spec.nodeName=n1', {}, false],
    ['spec.nodeName=n1', { 'spec.nodeName': 'n1' }, true],
    ['spec.nodeName=n1,status.phase=Running', { 'spec.nodeName': 'n1', 'status.phase': 'Pending' }, false],
    ['constructor=', {}, true],
    ['', { a: 'b' }, true],
  ])('%j on %j is %s', (sel, fields, want) => {
    expect(parseFieldSelector(sel).matches(fields)).toBe(want);
  });

  it('reports the exact-match value of an = term only', () => {
    expect(parseFieldSelector('metadata.name=foo').requiresExactMatch('metadata.name')).toBe('foo');
    expect(parseFieldSelector('metadata.name==foo').requiresExactMatch('metadata.name')).toBe('foo');
    expect(parseFieldSelector('metadata.name!=foo').requiresExactMatch('metadata.name')).toBeUndefined();
  });
});

describe('escapeFieldValue', () => {
  it.each([
    ['', ''],
    ['a', 'a'],
    ['=', '\\='],
    [',', '\\,'],
    ['\\', '\\\\'],
    ['\\=\\,', '\\\\\\=\\\\\\,'],
  ])('%j escapes to %j and round-trips', (raw, escaped) => {
    expect(escapeFieldValue(raw)).toBe(escaped);
    expect(parseFieldSelector(`f=${escaped}`).requirements[0]?.value).toBe(raw);
  });
});

describe('fieldSelectorFromSet', () => {
  it('is an AND of = terms in field order', () => {
    const sel = fieldSelectorFromSet({ 'metadata.namespace': 'ns', 'metadata.name': 'a,b' });
    expect(sel.toString()).toBe('metadata.name=a\\,b,metadata.namespace=ns');
    expect(sel.matches({ 'metadata.name': 'a,b', 'metadata.namespace': 'ns' })).toBe(true);
  });
});

describe('checkFieldsSupported', () => {
  const podFields = ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase'];
  const podOptions: FieldSupportOptions = { aliases: { 'spec.host': 'spec.nodeName' } };

  it.each<[string, readonly string[], FieldSupportOptions, string]>([
    ['spec.foo=bar', podFields, podOptions, 'field label not supported: spec.foo'],
    ['z.a=1,b.c=2', podFields, podOptions, 'field label not supported: b.c'],
    ['=x', podFields, podOptions, 'field label not supported: '],
    ['spec.replicas=1', ['metadata.name', 'metadata.namespace'], { rejection: 'default-meta' },
      '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'],
  ])('rejects %j', (input, supported, options, message) => {
    const err = catchStatusError(() => checkFieldsSupported(parseFieldSelector(input), supported, options));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe(message);
  });

  it('keeps supported fields and rewrites aliases', () => {
    const sel = checkFieldsSupported(parseFieldSelector('spec.host=n1,status.phase!=Failed'), podFields, podOptions);
    expect(sel.toString()).toBe('spec.nodeName=n1,status.phase!=Failed');
    expect(sel.matches({ 'spec.nodeName': 'n1', 'status.phase': 'Running' })).toBe(true);
  });

  it('accepts an empty selector for any kind', () => {
    expect(checkFieldsSupported(parseFieldSelector(''), []).empty).toBe(true);
  });

  it('drops terms a transform maps to ("", "")', () => {
    const sel = parseFieldSelector('a=1,b=2').transform((f, v) => (f === 'a' ? ['', ''] : [f, v]));
    expect(sel.toString()).toBe('b=2');
  });
});

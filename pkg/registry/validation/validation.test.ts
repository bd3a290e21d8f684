import { describe, expect, it } from 'vitest';
import {
  goLabelSelector, goStringMap, isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName,
  isValidLabelValue, labelSelectorMatches, nameIsDNSSubdomain, parseQuantityNano, semanticEqual, validateAnnotations,
  validateLabelSelector, validateLabels, validateObjectMeta, validateObjectMetaUpdate,
} from './index.ts';

const subdomainMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const dns1035Msg = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

describe('name checks', () => {
  it.each([
    ['subdomain ok', isDNS1123Subdomain('a.b-c'), []],
    ['subdomain upper', isDNS1123Subdomain('Foo'), [subdomainMsg]],
    ['label dot', isDNS1123Label('a.b'), [labelMsg]],
    ['label too long', isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']],
    ['1035 digit start', isDNS1035Label('1abc'), [dns1035Msg]],
    ['generateName trailing dash', nameIsDNSSubdomain('web-', true), []],
    ['configmap key', isConfigMapKey('a b'), ["a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]],
    ['configmap key ..', isConfigMapKey('..x'), ["must not start with '..'"]],
  ])('%s', (_name, got, want) => {
    expect(got).toEqual(want);
  });
});

describe('labels', () => {
  it('qualified names', () => {
    expect(isQualifiedName('example.com/app')).toEqual([]);
    expect(isQualifiedName('/app')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('a/b/c')[0]).toMatch(/^a qualified name must consist of/);
    expect(isQualifiedName('-x')).toEqual(["name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]);
    expect(isValidLabelValue('')).toEqual([]);
  });

  it('label map errors name the map, not the key', () => {
    const errs = validateLabels({ app: 'bad value' }, 'metadata.labels');
    expect(errs).toHaveLength(1);
    expect(errs[0]?.field).toBe('metadata.labels');
    expect(errs[0]?.detail).toBe("Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  });

  it('annotations: case-insensitive keys and total size', () => {
    expect(validateAnnotations({ 'Example.COM/Key': 'v' }, 'metadata.annotations')).toEqual([]);
    const big = validateAnnotations({ a: 'x'.repeat(256 * 1024) }, 'metadata.annotations');
    expect(big[0]?.detail).toBe('Too long: may not be more than 262144 bytes');
  });

  it('selectors', () => {
    const sel = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] };
    expect(labelSelectorMatches(sel, { app: 'web', tier: 'b' })).toBe(true);
    expect(labelSelectorMatches(sel, { app: 'web' })).toBe(false);
    expect(labelSelectorMatches({}, {})).toBe(true);
    expect(labelSelectorMatches(undefined, {})).toBe(false);
    const errs = validateLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Nope' }] }, 'spec.selector');
    expect(errs.map((e) => `${e.field}: ${e.detail}`)).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.selector.matchExpressions[1].operator: Invalid value: "Nope": not a valid selector operator',
    ]);
  });

  it('renders Go values', () => {
    expect(goStringMap({ b: '2', a: '1' })).toBe('map[string]string{"a":"1", "b":"2"}');
    expect(goStringMap(undefined)).toBe('map[string]string(nil)');
    expect(goLabelSelector({ matchLabels: { app: 'x' } }))
      .toBe('v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}');
  });
});

describe('validateObjectMeta', () => {
  it.each([
    [{}, ['metadata.name: Required value: name or generateName is required']],
    [{ name: 'Bad' }, [`metadata.name: Invalid value: "Bad": ${subdomainMsg}`]],
    [{ name: 'ok', finalizers: ['orphan', 'foregroundDeletion'] },
      ['metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set']],
    [{ name: 'ok', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: '' }] },
      ['metadata.ownerReferences.uid: Invalid value: "": must not be empty']],
  ])('%j', (meta, want) => {
    expect(validateObjectMeta(meta, nameIsDNSSubdomain).map((e) => `${e.field}: ${e.detail}`)).toEqual(want);
  });

  it('forbids new finalizers while deleting', () => {
    const errs = validateObjectMetaUpdate({ name: 'a', finalizers: ['x', 'y'] }, { name: 'a', finalizers: ['x'], deletionTimestamp: 't' });
    expect(errs.map((e) => e.detail)).toEqual(['Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"y"}']);
  });
});

describe('helpers', () => {
  it('quantities', () => {
    expect(parseQuantityNano('500m')).toBe(parseQuantityNano('0.5'));
    expect(parseQuantityNano('1Gi')).toBe(parseQuantityNano('1024Mi'));
    expect(parseQuantityNano('1e3')).toBe(parseQuantityNano('1k'));
    expect(parseQuantityNano('abc')).toBeUndefined();
    expect(parseQuantityNano(2)).toBe(2_000_000_000n);
  });

  it('semantic equality treats zero values as absent', () => {
    expect(semanticEqual({ a: [], b: false, c: { d: '' } }, {})).toBe(true);
    expect(semanticEqual({ a: 1 }, { a: 2 })).toBe(false);
  });
});

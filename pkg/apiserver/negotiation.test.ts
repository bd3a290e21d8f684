import { describe, expect, it } from 'vitest';
import { negotiate } from './negotiation.ts';

const table = (c: { as?: string; group?: string }) => c.as === 'Table' && c.group === 'meta.k8s.io';

describe('negotiate', () => {
  it('picks the Table form kubectl get asks for', () => {
    const c = negotiate('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', table);
    expect(c).toMatchObject({ encoding: 'json', as: 'Table', version: 'v1', group: 'meta.k8s.io' });
  });
  it('falls back to plain JSON when the transformation is not supported', () => {
    expect(negotiate('application/json;as=Foo;v=v1;g=x,application/json', table)).toEqual({ encoding: 'json', as: undefined, group: undefined, version: undefined });
  });
  it('answers JSON when protobuf and JSON are both acceptable', () => {
    expect(negotiate('application/vnd.kubernetes.protobuf,application/json').encoding).toBe('json');
  });
  it('answers protobuf when it is the only acceptable type', () => {
    expect(negotiate('application/vnd.kubernetes.protobuf').encoding).toBe('protobuf');
  });
  it('treats a missing Accept and */* as JSON', () => {
    expect(negotiate(undefined).encoding).toBe('json');
    expect(negotiate('*/*').encoding).toBe('json');
  });
  it('rejects unacceptable types with 406', () => {
    expect(() => negotiate('text/html')).toThrowError(/only the following media types are accepted/);
  });
});

import { describe, expect, it } from 'vitest';
import { pruneUnknownFields, unknownFields } from './unknown-fields.ts';

describe('unknownFields', () => {
  it('finds undeclared fields at every depth, in document order, as the strict decoder spells them', () => {
    const obj = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', nmae: 'typo', labels: { anything: 'goes' } },
      spec: {
        replicass: 2,
        template: { spec: { containers: [{ name: 'a' }, { name: 'b', imagee: 'nginx', ports: [{ containerPort: 80, hostt: 1 }] }] } },
      },
    };
    expect(unknownFields('apps', 'v1', 'Deployment', obj)).toEqual([
      'metadata.nmae',
      'spec.replicass',
      'spec.template.spec.containers[1].imagee',
      'spec.template.spec.containers[1].ports[0].hostt',
    ]);
  });

  it('accepts a fully declared object and leaves free-form fields alone', () => {
    const obj = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: { a: 'b' }, managedFields: [{ fieldsV1: { 'f:spec': {} } }] },
      spec: { containers: [{ name: 'c', resources: { limits: { cpu: '1' } } }] },
    };
    expect(unknownFields('', 'v1', 'Pod', obj)).toEqual([]);
  });

  it('walks map values that are structs', () => {
    expect(unknownFields('', 'v1', 'Service', { spec: { ports: [{ port: 1, bogus: true }] }, status: { loadBalancer: { x: 1 } } }))
      .toEqual(['spec.ports[0].bogus', 'status.loadBalancer.x']);
  });

  it('returns [] for kinds without a schema', () => {
    expect(unknownFields('example.com', 'v1', 'Widget', { foo: 1 })).toEqual([]);
  });
});

describe('unknownFields on deep documents', () => {
  it('reports an unknown field once, without walking its value, however deep', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100000; i++) deep = { a: deep };
    expect(unknownFields('', 'v1', 'ConfigMap', { metadata: { name: 'x' }, foo: deep, data: { k: 'v' } })).toEqual(['foo']);
  });
});

describe('pruneUnknownFields', () => {
  it('deletes exactly the fields unknownFields reports', () => {
    const obj = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', nmae: 'typo', labels: { 'a.b': 'c' } },
      spec: { replicass: 2, template: { spec: { containers: [{ name: 'a', imagee: 'nginx' }] } } },
    };
    pruneUnknownFields('apps', 'v1', 'Deployment', obj);
    expect(obj).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', labels: { 'a.b': 'c' } },
      spec: { template: { spec: { containers: [{ name: 'a' }] } } },
    });
    expect(unknownFields('apps', 'v1', 'Deployment', obj)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { validateObject } from './validate.ts';

const container = { name: 'web', image: 'nginx' };
const podTemplate = { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } };
const deployment = (spec: Record<string, unknown>): unknown => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate, ...spec },
});

describe('validateObject', () => {
  it('accepts well-formed objects', () => {
    expect(validateObject('apps', 'v1', 'Deployment', deployment({ replicas: 3 }))).toEqual([]);
    expect(validateObject('', 'v1', 'Pod', { metadata: { name: 'p' }, spec: { containers: [container] } })).toEqual([]);
    expect(validateObject('', 'v1', 'Service', {
      metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }] },
    })).toEqual([]);
    expect(validateObject('', 'v1', 'Pod', {
      metadata: { name: 'p', creationTimestamp: null }, spec: { containers: [{ ...container, resources: { limits: { cpu: 1, memory: '1Gi' } } }] },
    })).toEqual([]);
  });

  it.each([
    ['apps', 'Deployment', deployment({ replicas: 'three' }), 'spec.replicas', 'FieldValueTypeInvalid',
      'Invalid value: "string": spec.replicas in body must be of type integer: "string"'],
    ['apps', 'Deployment', deployment({ template: { spec: { containers: [{ image: 'nginx' }] } } }),
      'spec.template.spec.containers[0].name', 'FieldValueRequired', 'Required value'],
    ['apps', 'Deployment', deployment({ paused: 'yes' }), 'spec.paused', 'FieldValueTypeInvalid',
      'Invalid value: "string": spec.paused in body must be of type boolean: "string"'],
    ['', 'Pod', { metadata: { name: 'p' }, spec: {} }, 'spec.containers', 'FieldValueRequired', 'Required value'],
    ['', 'Pod', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', ports: [{ containerPort: '80' }] }] } },
      'spec.containers[0].ports[0].containerPort', 'FieldValueTypeInvalid',
      'Invalid value: "string": spec.containers[0].ports[0].containerPort in body must be of type integer: "string"'],
    ['', 'Pod', { metadata: { name: 'p', labels: 'x' }, spec: { containers: [container] } }, 'metadata.labels', 'FieldValueTypeInvalid',
      'Invalid value: "string": metadata.labels in body must be of type object: "string"'],
    ['', 'Service', { metadata: { name: 's' }, spec: { ports: [{ port: 'http' }] } }, 'spec.ports[0].port', 'FieldValueTypeInvalid',
      'Invalid value: "string": spec.ports[0].port in body must be of type integer: "string"'],
    ['', 'Service', { metadata: { name: 's' }, spec: { ports: [{ name: 'p' }] } }, 'spec.ports[0].port', 'FieldValueRequired',
      'Required value'],
    ['', 'Service', { metadata: { name: 's' }, spec: { selector: ['a'] } }, 'spec.selector', 'FieldValueTypeInvalid',
      'Invalid value: "array": spec.selector in body must be of type object: "array"'],
  ])('%s %s: reports %s', (group, kind, obj, path, type, detail) => {
    const errs = validateObject(group, 'v1', kind, obj);
    expect(errs).toContainEqual({ field: path, type, detail });
  });

  it('reports every error, not just the first', () => {
    const errs = validateObject('apps', 'v1', 'Deployment', {
      spec: { replicas: 'x', minReadySeconds: 'y', template: { spec: { containers: [{}] } }, selector: {} },
    });
    expect(errs.map((e) => e.field).sort()).toEqual(['spec.minReadySeconds', 'spec.replicas', 'spec.template.spec.containers[0].name']);
  });

  it('checks formats: date-time and int32 range', () => {
    const errs = validateObject('', 'v1', 'Pod', {
      metadata: { name: 'p', creationTimestamp: 'yesterday' }, spec: { containers: [container], priority: 2 ** 40 },
    });
    expect(errs.map((e) => e.field).sort()).toEqual(['metadata.creationTimestamp', 'spec.priority']);
    expect(errs.find((e) => e.field === 'metadata.creationTimestamp')?.detail)
      .toBe('Invalid value: "yesterday": metadata.creationTimestamp in body must be of type date-time: "yesterday"');
  });

  it('returns no errors for kinds without a schema', () => {
    expect(validateObject('example.com', 'v1', 'Widget', { spec: 1 })).toEqual([]);
  });

  it('does not mutate its input', () => {
    const obj = deployment({ replicas: null });
    const copy = JSON.parse(JSON.stringify(obj)) as unknown;
    validateObject('apps', 'v1', 'Deployment', obj);
    expect(obj).toEqual(copy);
  });
});

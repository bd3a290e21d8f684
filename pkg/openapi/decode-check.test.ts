import { describe, expect, it } from 'vitest';
import { decodeCheck } from './decode-check.ts';

const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'p' }): unknown =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });

describe('decodeCheck', () => {
  it('returns null for objects that decode', () => {
    expect(decodeCheck('apps', 'v1', 'Deployment', { spec: { replicas: 2, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } } })).toBeNull();
    expect(decodeCheck('', 'v1', 'Pod', pod({ containers: [{ name: 'c', resources: { limits: { cpu: '500m', memory: 1024 } } }] }))).toBeNull();
    expect(decodeCheck('', 'v1', 'Pod', pod({ nodeName: null }))).toBeNull();
    expect(decodeCheck('', 'v1', 'Secret', { data: { a: 'aGVsbG8=' } })).toBeNull();
    expect(decodeCheck('', 'v1', 'Pod', pod({ unknownField: 5 }))).toBeNull();
  });

  // Messages as the real apiserver prints them (sigs.k8s.io/json + transformDecodeError).
  it.each([
    ['apps', 'Deployment', { spec: { replicas: '3' } },
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
    ['apps', 'Deployment', { spec: { template: { spec: { containers: [{ name: 'c', ports: ['80'] }] } } } },
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field Container.spec.template.spec.containers.ports of type v1.ContainerPort'],
    ['apps', 'Deployment', { spec: { template: { spec: { containers: [{ name: 'c', env: { A: 'b' } }] } } } },
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal object into Go struct field Container.spec.template.spec.containers.env of type []v1.EnvVar'],
    ['', 'Pod', pod({ containers: [{ name: 'c', command: ['sleep', 1200] }] }),
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field Container.spec.containers.command of type string'],
    ['', 'Pod', pod({ containers: [{ name: 1 }] }),
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string'],
    ['', 'Pod', pod({}, { name: 'p', labels: { app: true } }),
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string'],
    ['', 'Pod', pod({ terminationGracePeriodSeconds: 1.5 }),
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64'],
    ['', 'Pod', pod({ hostNetwork: 'true' }),
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool'],
    ['apps', 'Deployment', { spec: 'x' },
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec'],
    ['', 'Service', { spec: { ports: [{ port: 3000000000 }] } },
      'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal number 3000000000 into Go struct field ServicePort.spec.ports.port of type int32'],
    ['', 'ConfigMap', { data: { a: 1 } },
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string'],
    ['', 'Pod', pod({ containers: [{ name: 'c', resources: { limits: { cpu: 'lots' } } }] }),
      'Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\''],
    ['', 'Service', { spec: { ports: [{ port: 80, targetPort: true }] } },
      'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal bool into Go value of type int32'],
    ['', 'Secret', { data: { a: 'not base64!' } },
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3'],
  ])('%s %s', (group, kind, obj, message) => {
    expect(decodeCheck(group, 'v1', kind, obj)).toBe(message);
  });

  it('reports the first mismatch in document order', () => {
    const msg = decodeCheck('apps', 'v1', 'Deployment', { metadata: { generation: 'x' }, spec: { replicas: 'y' } });
    expect(msg).toContain('ObjectMeta.metadata.generation of type int64');
  });

  it('returns null for kinds without a schema', () => {
    expect(decodeCheck('example.com', 'v1', 'Widget', { spec: 1 })).toBeNull();
  });
});

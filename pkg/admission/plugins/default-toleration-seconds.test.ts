import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/index.ts';
import { resourceTable } from '../../resources/index.ts';
import type { AdmissionAttributes } from '../types.ts';
import { defaultTolerationSeconds } from './default-toleration-seconds.ts';

const pods = resourceTable.find((e) => e.group === '' && e.plural === 'pods')!;
const notReady = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const unreachable = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

function admit(spec: Record<string, unknown>, subresource = ''): KubeObject {
  const object: KubeObject = { metadata: { name: 'p' }, spec };
  const attrs: AdmissionAttributes = {
    operation: 'CREATE', entry: pods, subresource, namespace: 'ns', name: 'p', object, user: { username: 'u', groups: [] }, dryRun: false,
  };
  void defaultTolerationSeconds().admit!(attrs);
  return object;
}

describe('DefaultTolerationSeconds', () => {
  it('adds both tolerations with 300 s', () => {
    expect(admit({}).spec).toEqual({ tolerations: [notReady, unreachable] });
  });

  it('keeps a toleration the pod already has and adds the other', () => {
    const own = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 };
    expect(admit({ tolerations: [own] }).spec).toEqual({ tolerations: [own, unreachable] });
  });

  it('adds nothing when an empty key and effect tolerate everything', () => {
    expect(admit({ tolerations: [{ operator: 'Exists' }] }).spec).toEqual({ tolerations: [{ operator: 'Exists' }] });
  });

  it('counts a toleration without effect as covering NoExecute', () => {
    const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists' };
    expect(admit({ tolerations: [own] }).spec).toEqual({ tolerations: [own, notReady] });
  });

  it('leaves subresources alone', () => {
    expect(admit({}, 'status').spec).toEqual({});
  });
});

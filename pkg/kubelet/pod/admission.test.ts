import { describe, expect, it } from 'vitest';
import type { ContainerPort, Pod } from 'kubernetes-types/core/v1.js';
import { admit } from './admission.ts';

const withPorts = (...ports: ContainerPort[]): Pod => ({ spec: { containers: [{ name: 'c', ports }] } });

describe('kubelet admission', () => {
  it.each<[string, ContainerPort[], ContainerPort[], boolean]>([
    ['same host port and protocol', [{ containerPort: 80, hostPort: 8080 }], [{ containerPort: 81, hostPort: 8080 }], false],
    ['different protocol', [{ containerPort: 80, hostPort: 8080, protocol: 'UDP' }], [{ containerPort: 80, hostPort: 8080 }], true],
    ['different host IPs', [{ containerPort: 80, hostPort: 8080, hostIP: '10.0.0.1' }], [{ containerPort: 80, hostPort: 8080, hostIP: '10.0.0.2' }], true],
    ['one on every address', [{ containerPort: 80, hostPort: 8080, hostIP: '10.0.0.1' }], [{ containerPort: 80, hostPort: 8080 }], false],
    ['no host port', [{ containerPort: 80 }], [{ containerPort: 80 }], true],
  ])('%s: admitted %s', (_name, used, wanted, ok) => {
    const verdict = admit(withPorts(...wanted), [withPorts(...used)], 110);
    expect(verdict.ok).toBe(ok);
    if (!verdict.ok) expect(verdict).toEqual({ ok: false, reason: 'NodePorts', message: 'Predicate NodePorts failed' });
  });

  it('refuses a pod past the node\'s pod capacity', () => {
    expect(admit(withPorts(), [withPorts(), withPorts()], 2)).toEqual({
      ok: false, reason: 'OutOfpods', message: "Node didn't have enough resource: pods, requested: 1, used: 2, capacity: 2",
    });
  });
});

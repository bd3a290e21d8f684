import { describe, expect, it } from 'vitest';
import type { Container, EnvVar, Pod } from 'kubernetes-types/core/v1.js';
import { containerConfigError, containerEnv, expandVars } from './container-config.ts';

const pod: Pod = { metadata: { name: 'web-0', namespace: 'ns', uid: 'u', labels: { app: 'web' } }, spec: { nodeName: 'node-1', containers: [] } };
const withSubPath = (env: EnvVar[], subPathExpr: string, extra: Partial<Container> = {}): Container => ({
  name: 'c', image: 'busybox', env, volumeMounts: [{ name: 'workdir1', mountPath: '/logscontainer', subPathExpr }], ...extra,
});
const addresses = { podIP: '10.244.0.9', hostIP: '127.0.0.1' };

describe('containerConfigError', () => {
  it.each<[string, Container, string | undefined]>([
    ['a subPathExpr expanding to ..', withSubPath([{ name: 'POD_NAME', value: '..' }], '$(POD_NAME)'), "unable to provision SubPath `..`: must not contain '..'"],
    ['.. inside the path', withSubPath([{ name: 'P', value: 'a/../../b' }], '$(P)'), "unable to provision SubPath `a/../../b`: must not contain '..'"],
    ['an absolute path', withSubPath([{ name: 'POD_NAME', value: '/tmp' }], '$(POD_NAME)'), 'error SubPath `/tmp` must not be an absolute path'],
    ['a missing variable', withSubPath([], 'x/$(NOPE)'), 'missing value for NOPE'],
    ['an empty variable', withSubPath([{ name: 'E', value: '' }], '$(E)'), 'missing value for E'],
    ['a field reference', withSubPath([{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }], 'logs/$(POD_NAME)'), undefined],
    ['a dotted name is fine', withSubPath([{ name: 'N', value: '..foo' }], '$(N)'), undefined],
    ['a configMap value is not judged', withSubPath([{ name: 'P', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }], '$(P)'), undefined],
    ['envFrom may hold the name', withSubPath([], '$(P)', { envFrom: [{ configMapRef: { name: 'cm' } }] }), undefined],
    ['a static subPath', { name: 'c', image: 'busybox', volumeMounts: [{ name: 'v', mountPath: '/m', subPath: 'ok/dir' }] }, undefined],
  ])('%s', (_name, container, want) => {
    expect(containerConfigError(pod, container, addresses)).toBe(want);
  });
});

describe('containerEnv', () => {
  it('expands earlier values and resolves pod fields', () => {
    const env = containerEnv(pod, { name: 'c', env: [
      { name: 'A', value: 'x' }, { name: 'B', value: '$(A)-$(LATER)-$$(A)' }, { name: 'LATER', value: 'y' },
      { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    ] }, addresses);
    expect(Object.fromEntries(env)).toEqual({ A: 'x', B: 'x-$(LATER)-$(A)', LATER: 'y', APP: 'web', IP: '10.244.0.9', NODE: 'node-1' });
  });
});

describe('expandVars', () => {
  const map = (name: string) => ({ A: 'a', B: 'b' } as Record<string, string>)[name] ?? '';
  it.each([['$(A)/$(B)', 'a/b'], ['$$(A)', '$(A)'], ['$(A', '$(A'], ['$x', '$x'], ['end$', 'end$'], ['$()', '']])('%s → %s', (input, want) => {
    expect(expandVars(input, map)).toBe(want);
  });
});

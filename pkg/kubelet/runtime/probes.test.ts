import { describe, expect, it } from 'vitest';
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import { probeAt, probeTiming, runProbe } from './probes.ts';

const webserver: Container = { name: 'test-webserver', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['test-webserver'], ports: [{ name: 'http', containerPort: 80 }] };
const unknown: Container = { name: 'app', image: 'example.org/app:1', ports: [{ containerPort: 8080 }] };
const target = (container: Container) => ({ container, podIP: '10.244.0.7' });

describe('runProbe', () => {
  it.each<[string, Probe, Container, boolean, string]>([
    ['exec /bin/false fails', { exec: { command: ['/bin/false'] } }, unknown, false, ''],
    ['exec sh -c "exit 1" fails', { exec: { command: ['sh', '-c', 'echo bad; exit 1'] } }, unknown, false, 'bad'],
    ['exec of a real binary passes', { exec: { command: ['cat', '/tmp/health'] } }, unknown, true, ''],
    ['httpGet on the served port passes', { httpGet: { path: '/', port: 80 } }, webserver, true, ''],
    ['httpGet on a named port passes', { httpGet: { path: '/', port: 'http' } }, webserver, true, ''],
    ['httpGet elsewhere is refused', { httpGet: { path: '/healthz', port: 81 } }, webserver, false,
      'Get "http://10.244.0.7:81/healthz": dial tcp 10.244.0.7:81: connect: connection refused'],
    ['tcpSocket elsewhere is refused', { tcpSocket: { port: 9000 } }, webserver, false, 'dial tcp 10.244.0.7:9000: connect: connection refused'],
    ['grpc elsewhere times out', { grpc: { port: 5000 } }, webserver, false, 'timeout: failed to connect service "10.244.0.7:5000" within 1s: context deadline exceeded'],
    ['an unknown program serves every port', { httpGet: { path: '/', port: 9999 } }, unknown, true, ''],
  ])('%s', (_name, probe, container, ok, output) => {
    expect(runProbe(probe, target(container))).toMatchObject({ ok, output });
  });

  it('errors on a port name the container does not declare', () => {
    expect(runProbe({ httpGet: { port: 'metrics' } }, target(webserver))).toEqual({ ok: false, errored: true, output: 'strconv.Atoi: parsing "metrics": invalid syntax' });
  });
});

describe('probeAt', () => {
  it.each([
    ['no delay: at the start', {}, 0, 0, 0],
    ['a delay: the first period tick at or after it', { initialDelaySeconds: 15 }, 0, 0, 20_000],
    ['a delay on a tick', { initialDelaySeconds: 20 }, 0, 0, 20_000],
    ['the third probe that counts', { periodSeconds: 2 }, 0, 2, 4000],
    ['after a startup probe passed at 5 s', { periodSeconds: 2 }, 5000, 0, 6000],
  ])('%s', (_name, probe, notBefore, n, want) => {
    expect(probeAt(1_000_000, 1_000_000 + notBefore, probeTiming(probe), n)).toBe(1_000_000 + want);
  });
});

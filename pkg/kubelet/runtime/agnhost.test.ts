import { describe, expect, it } from 'vitest';
import { agnhostInvocation, agnhostPorts, agnhostSimulation, goDurationSeconds, klogHeader } from './agnhost.ts';

const agnhost = 'registry.k8s.io/e2e-test-images/agnhost:2.53';

describe('agnhostInvocation', () => {
  it.each([
    ['args after the image entrypoint', { image: agnhost, args: ['test-webserver', '--port=8080'] }, 'test-webserver', [['port', '8080']]],
    ['command naming the binary', { image: agnhost, command: ['/agnhost', 'grpc-health-checking'], args: ['--port', '5001'] }, 'grpc-health-checking', [['port', '5001']]],
    ['short flags', { image: agnhost, args: ['logs-generator', '-t', '5', '-d', '1s'] }, 'logs-generator', [['t', '5'], ['d', '1s']]],
  ])('%s', (_name, container, subcommand, flags) => {
    const inv = agnhostInvocation(container);
    expect(inv?.subcommand).toBe(subcommand);
    expect([...inv!.flags]).toEqual(flags);
  });

  it.each([
    ['another image', { image: 'busybox:1.36', args: ['test-webserver'] }],
    ['a shell in the agnhost image', { image: agnhost, command: ['sh', '-c', 'sleep 1'] }],
    ['no subcommand', { image: agnhost }],
  ])('is undefined for %s', (_name, container) => {
    expect(agnhostInvocation(container)).toBeUndefined();
  });
});

describe('agnhostPorts', () => {
  it.each([
    [['test-webserver'], [80]],
    [['test-webserver', '--port', '8080'], [8080]],
    [['liveness'], [8080]],
    [['grpc-health-checking'], [5000, 8080]],
    [['netexec', '--http-port=8081'], [8081]],
    [['pause'], []],
  ])('%j listens on %j', (args, ports) => {
    expect(agnhostPorts({ image: agnhost, args })).toEqual(ports);
  });

  it('knows nothing of subcommands it does not describe', () => {
    expect(agnhostPorts({ image: agnhost, args: ['porter'] })).toBeUndefined();
  });
});

describe('agnhostSimulation logs-generator', () => {
  it('prints --log-lines-total numbered klog lines to stderr, uniformly over --run-duration, then exits 0', () => {
    const sim = agnhostSimulation({ image: agnhost, args: ['logs-generator', '--log-lines-total', '4', '--run-duration', '2s'] })!;
    expect(sim.outcome).toEqual({ kind: 'exits', after: 2, code: 0 });
    expect(sim.lines.map((l) => [l.at, l.stream])).toEqual([[0, 'stderr'], [0.5, 'stderr'], [1, 'stderr'], [1.5, 'stderr']]);
    sim.lines.forEach((l, id) => expect(l.text).toMatch(new RegExp(`^${id} (GET|POST|PUT) /api/v1/namespaces/(kube-system|default|ns)/pods/[bcdfghjklmnpqrstvwxz2456789]{3,4} [2-5]\\d\\d$`)));
    expect(sim.lines[1]!.textAt!(new Date('2025-03-04T05:06:07.089Z'))).toBe(`I0304 05:06:07.089000       1 logs_generator.go:76] ${sim.lines[1]!.text}`);
  });

  it('fails as klog.Fatalf does without lines to print', () => {
    const sim = agnhostSimulation({ image: agnhost, args: ['logs-generator', '--run-duration', '2s'] })!;
    expect(sim.outcome).toEqual({ kind: 'exits', after: 0, code: 255 });
    expect(sim.lines[0]?.textAt?.(new Date('2025-01-01T00:00:00Z'))).toBe('F0101 00:00:00.000000       1 logs_generator.go:64] Invalid total number of lines: 0');
  });
});

describe('goDurationSeconds', () => {
  it.each([['20s', 20], ['1m30s', 90], ['1.5s', 1.5], ['250ms', 0.25], ['1h', 3600], ['0', 0], ['20', undefined], ['x', undefined]])('%s', (text, want) => {
    expect(goDurationSeconds(text)).toBe(want);
  });
});

describe('klogHeader', () => {
  it('formats severity, month/day, time with microseconds and the thread id', () => {
    expect(klogHeader('I', new Date('2025-12-31T23:59:58.123Z'))).toBe('I1231 23:59:58.123000       1');
  });
});

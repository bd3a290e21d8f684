import { describe, expect, it } from 'vitest';
import { OptionsError, parseOptions, parseTaints, usage, type FakeKubeletOptions } from './options.ts';

const parse = (...args: string[]) => parseOptions(['--kubeconfig=/k', ...args]) as FakeKubeletOptions;

describe('fake-kubelet options', () => {
  it('defaults to 3 nodes with equal capacity and allocatable', () => {
    const o = parse();
    expect(o).toMatchObject({
      kubeconfig: '/k', nodes: 3, nodeNamePrefix: 'fake-node-', zones: [], labels: {}, taints: [], kubeReserved: {},
      capacity: { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      clusterCidr: '10.244.0.0/16', nodeCidrMaskSize: 24, address: '127.0.0.1', port: 0,
      nodeStatusUpdateFrequencyMs: 10_000, nodeStatusReportFrequencyMs: 300_000, nodeLeaseDurationSeconds: 40, usageFraction: 0.1,
    });
  });

  it('reads every flag', () => {
    const o = parse('--nodes=5', '--node-name-prefix=kwok-', '--node-capacity=cpu=4,memory=8Gi', '--max-pods=20',
      '--kube-reserved=cpu=500m', '--node-labels=a=1,b=2', '--register-with-taints=dedicated=gpu:NoSchedule,spot:PreferNoSchedule',
      '--node-zones=z1,z2', '--port=10250', '--tls-cert-file=/c', '--tls-private-key-file=/k', '--client-ca-file=/ca',
      '--node-status-update-frequency=1s', '--node-lease-duration-seconds=20', '--usage-fraction=0.5');
    expect(o).toMatchObject({
      nodes: 5, nodeNamePrefix: 'kwok-', capacity: { cpu: '4', memory: '8Gi', pods: '20', 'ephemeral-storage': '100Gi' },
      kubeReserved: { cpu: '500m' }, labels: { a: '1', b: '2' }, zones: ['z1', 'z2'], port: 10250,
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'spot', effect: 'PreferNoSchedule' }],
      tlsCertFile: '/c', tlsPrivateKeyFile: '/k', clientCaFile: '/ca', nodeStatusUpdateFrequencyMs: 1000, nodeLeaseDurationSeconds: 20, usageFraction: 0.5,
    });
  });

  it('answers --help with every flag documented', () => {
    expect(parseOptions(['--help'])).toEqual({ help: true });
    for (const flag of ['--nodes', '--node-capacity', '--register-with-taints', '--node-zones', '--tls-cert-file', '--client-ca-file', '--stages']) {
      expect(usage()).toContain(flag);
    }
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--nodes=x'], 'invalid argument "x" for "--nodes" flag'],
    [['--node-capacity=cpu=lots'], 'invalid argument "cpu=lots" for "--node-capacity" flag'],
    [['--node-labels=novalue'], '"novalue" is not key=value'],
    [['--register-with-taints=k=v:Sometimes'], 'invalid taint spec: k=v:Sometimes'],
    [['--tls-cert-file=/c'], 'must be given together'],
    [['--address=0.0.0.0'], 'loopback'],
    [['--node-status-update-frequency=10'], 'time: invalid duration "10"'],
    [['--cluster-cidr=10.0.0.0/24', '--nodes=2'], 'has room for 1 node CIDRs'],
    [['--usage-fraction=2'], 'must be a number from 0 to 1'],
    [['--stages='], 'invalid argument "" for "--stages" flag: must name a file'],
  ])('refuses %j', (args, message) => {
    expect(() => parse(...args)).toThrow(OptionsError);
    expect(() => parse(...args)).toThrow(message);
  });

  it('takes a stage file, which the program reads itself (no file: only the built-in stages)', () => {
    expect(parse('--stages=/etc/stages.yaml').stagesFile).toBe('/etc/stages.yaml');
    expect(parse().stagesFile).toBeUndefined();
  });

  it('requires --kubeconfig', () => {
    expect(() => parseOptions([])).toThrow('--kubeconfig is required');
  });

  it('parses taints without values', () => {
    expect(parseTaints('a:NoExecute')).toEqual([{ key: 'a', effect: 'NoExecute' }]);
  });
});

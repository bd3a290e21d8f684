import { describe, expect, it } from 'vitest';
import { OptionsError, parseOptions } from './options.ts';

const files: Record<string, string> = {
  good: `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 20
profiles:
- schedulerName: default-scheduler
  plugins:
    score:
      disabled: [{ name: ImageLocality }]
      enabled: [{ name: NodeResourcesFit, weight: 5 }]
- schedulerName: no-spread
  plugins:
    multiPoint:
      disabled: [{ name: PodTopologySpread }]
`,
  badPct: 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\npercentageOfNodesToScore: 120\n',
  badPlugin: 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- plugins:\n    score:\n      enabled: [{ name: Nope }]\n',
  badWeight: 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- plugins:\n    score:\n      enabled: [{ name: TaintToleration, weight: 500 }]\n',
  unknownField: 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nbogus: 1\n',
  badVersion: 'apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n',
};
const read = (p: string) => { const f = files[p]; if (f === undefined) throw new Error('ENOENT'); return f; };

describe('kube-scheduler parseOptions', () => {
  it('takes the real defaults: leader election on a 15 s / 10 s / 2 s Lease kube-system/kube-scheduler, the v1.32 weights', () => {
    const o = parseOptions(['--kubeconfig=/k']);
    expect(o.leaderElect).toBe(true);
    expect(o.lease).toEqual({ namespace: 'kube-system', name: 'kube-scheduler', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
    const weights = Object.fromEntries(o.config.profiles[0]!.plugins.filter((p) => p.weight > 0).map((p) => [p.name, p.weight]));
    expect(weights).toEqual({ TaintToleration: 3, NodeAffinity: 2, NodeResourcesFit: 1, PodTopologySpread: 2, InterPodAffinity: 2, NodeResourcesBalancedAllocation: 1, ImageLocality: 1 });
    expect(o.config.profiles[0]!.schedulerName).toBe('default-scheduler');
  });

  it('applies a config file: weights, disabled plugins, profiles, percentageOfNodesToScore', () => {
    const o = parseOptions(['--kubeconfig=/k', '--config=good'], read);
    expect(o.config.percentageOfNodesToScore).toBe(20);
    const [def, noSpread] = o.config.profiles;
    expect(def!.plugins.find((p) => p.name === 'NodeResourcesFit')!.weight).toBe(5);
    expect(def!.plugins.find((p) => p.name === 'ImageLocality')!.weight).toBe(0);
    expect(noSpread!.plugins.some((p) => p.name === 'PodTopologySpread')).toBe(false);
  });

  it.each([
    [['--kubeconfig=/k', '--config=badPct'], 'percentageOfNodesToScore: Invalid value: 120: not in valid range [0-100]'],
    [['--kubeconfig=/k', '--config=badPlugin'], 'profiles[0].plugins.score.enabled[0].name: Invalid value: "Nope": plugin "Nope" does not exist'],
    [['--kubeconfig=/k', '--config=badWeight'], 'profiles[0].plugins.score.enabled[0].weight: Invalid value: 500'],
    [['--kubeconfig=/k', '--config=unknownField'], 'strict decoding error: unknown field "bogus"'],
    [['--kubeconfig=/k', '--config=badVersion'], 'apiVersion: Invalid value: "kubescheduler.config.k8s.io/v1beta3"'],
    [['--kubeconfig=/k', '--config=missing'], 'failed to read config file "missing"'],
    [[], '--kubeconfig is required'],
    [['--kubeconfig=/k', '--bogus'], 'bogus'],
    [['--kubeconfig=/k', '--leader-elect=maybe'], 'invalid argument "maybe" for "--leader-elect" flag'],
  ])('refuses %j', (args, message) => {
    expect(() => parseOptions(args, read)).toThrow(OptionsError);
    expect(() => parseOptions(args, read)).toThrow(message);
  });
});

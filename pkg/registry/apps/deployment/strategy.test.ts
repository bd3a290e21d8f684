import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/index.ts';
import { deploymentStrategy } from './strategy.ts';

const ctx = { now: new Date(0) };

function deployment(spec: Record<string, unknown>, name = 'web'): KubeObject {
  const d: KubeObject = { metadata: { name, namespace: 'default' }, spec };
  deploymentStrategy.applyDefaults?.(d);
  deploymentStrategy.prepareForCreate?.(d, ctx);
  return d;
}

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
const selector = { matchLabels: { app: 'web' } };

function messages(errs: { field: string; detail: string }[] | undefined): string[] {
  return (errs ?? []).map((e) => `${e.field}: ${e.detail}`);
}

describe('deploymentStrategy', () => {
  it('applies defaults to the spec and the pod template', () => {
    const d = deployment({ selector, template: structuredClone(template) });
    deploymentStrategy.canonicalize?.(d);
    expect(d.spec).toEqual({
      replicas: 1, selector, revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      template: {
        metadata: { labels: { app: 'web' }, creationTimestamp: null },
        spec: {
          containers: [{ name: 'c', image: 'nginx', imagePullPolicy: 'Always', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
          dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30,
        },
      },
    });
    expect(d.status).toEqual({});
    expect(deploymentStrategy.validate?.(d)).toEqual([]);
    expect(deploymentStrategy.tracksGeneration).toBe(true);
  });

  it.each([
    [{ template }, ['spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`']],
    [{ selector: { matchLabels: { app: 'api' } }, template },
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`']],
    [{ selector: {}, template },
      ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment']],
    [{ selector, template, replicas: -1 }, ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    [{ selector, template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } },
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
    [{ selector, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } },
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0']],
    [{ selector, template: { metadata: template.metadata, spec: { containers: [{ name: 'c' }] } } },
      ['spec.template.spec.containers[0].image: Required value']],
  ])('%j', (spec, want) => {
    expect(messages(deploymentStrategy.validate?.(deployment(structuredClone(spec))))).toEqual(want);
  });

  it('keeps the selector immutable and bumps generation on annotation changes', () => {
    const old = deployment({ selector, template: structuredClone(template) });
    old.metadata.generation = 1;
    const next = structuredClone(old);
    (next.spec as { selector: unknown }).selector = { matchLabels: { app: 'web', tier: 'x' } };
    (next.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels.tier = 'x';
    expect(messages(deploymentStrategy.validateUpdate?.(next, old))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
    const annotated = structuredClone(old);
    annotated.metadata.annotations = { note: 'x' };
    deploymentStrategy.prepareForUpdate?.(annotated, old, ctx);
    expect(annotated.metadata.generation).toBe(2);
  });
});

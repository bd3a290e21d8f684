import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/index.ts';
import { jobStrategy } from './strategy.ts';
import { cronJobStrategy } from '../cronjob/strategy.ts';

const ctx = { now: new Date(0) };

function createJob(spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  const j: KubeObject = { metadata: { name: 'pi', namespace: 'default', uid: 'u-1', ...meta }, spec };
  jobStrategy.applyDefaults?.(j);
  jobStrategy.prepareForCreate?.(j, ctx);
  return j;
}

const podSpec = { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' };

function messages(errs: { field: string; detail: string }[] | undefined): string[] {
  return (errs ?? []).map((e) => `${e.field}: ${e.detail}`);
}

describe('jobStrategy', () => {
  it('applies defaults and generates the selector and labels from the uid', () => {
    const j = createJob({ template: { metadata: { labels: { app: 'pi' } }, spec: structuredClone(podSpec) } });
    const generated = {
      'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u-1', 'job-name': 'pi',
    };
    expect(j.spec).toMatchObject({
      parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed', selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } },
      template: { metadata: { labels: { app: 'pi', ...generated } } },
    });
    expect(j.spec).not.toHaveProperty('manualSelector');
    // The Job's own labels were the template's map, so they carry the generated labels too.
    expect(j.metadata.labels).toEqual({ app: 'pi', ...generated });
    expect(j.status).toEqual({});
    expect(jobStrategy.validate?.(j)).toEqual([]);
  });

  it('leaves the Job labels alone when the template had none', () => {
    const j = createJob({ template: { spec: structuredClone(podSpec) } });
    expect(j.metadata.labels).toBeUndefined();
  });

  it.each([
    [{ containers: [{ name: 'pi', image: 'perl' }] }, ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']],
    [{ ...podSpec, restartPolicy: 'Sometimes' }, [
      'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"',
    ]],
  ])('restart policy %j', (spec, want) => {
    expect(messages(jobStrategy.validate?.(createJob({ template: { spec: structuredClone(spec) } })))).toEqual(want);
  });

  it('requires a selector with manualSelector', () => {
    const j = createJob({ manualSelector: true, template: { spec: structuredClone(podSpec) } });
    expect(messages(jobStrategy.validate?.(j))).toEqual(['spec.selector: Required value']);
  });

  it('keeps the template immutable', () => {
    const old = createJob({ template: { spec: structuredClone(podSpec) } });
    const next = structuredClone(old);
    (next.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image = 'perl:2';
    const errs = messages(jobStrategy.validateUpdate?.(next, old));
    expect(errs).toEqual(['spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable']);
  });

  it('exposes status.successful', () => {
    const j = createJob({ template: { spec: structuredClone(podSpec) } });
    j.status = { succeeded: 2 };
    expect(jobStrategy.getAttrs?.(j)).toEqual({ 'status.successful': '2' });
  });
});

describe('cronJobStrategy', () => {
  function createCron(spec: Record<string, unknown>, name = 'hello'): KubeObject {
    const c: KubeObject = { metadata: { name, namespace: 'default' }, spec };
    cronJobStrategy.applyDefaults?.(c);
    cronJobStrategy.prepareForCreate?.(c, ctx);
    return c;
  }
  const jobTemplate = { spec: { template: { spec: structuredClone(podSpec) } } };

  it('applies defaults', () => {
    const c = createCron({ schedule: '*/1 * * * *', jobTemplate: structuredClone(jobTemplate) });
    expect(c.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(cronJobStrategy.validate?.(c)).toEqual([]);
  });

  it.each([
    [{ jobTemplate }, 'hello', ['spec.schedule: Required value']],
    [{ schedule: 'every minute', jobTemplate }, 'hello', ['spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]']],
    [{ schedule: '* * * * *', concurrencyPolicy: 'Sometimes', jobTemplate }, 'hello',
      ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"']],
    [{ schedule: '* * * * *', jobTemplate }, 'a'.repeat(53), [`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`]],
  ])('%j', (spec, name, want) => {
    expect(messages(cronJobStrategy.validate?.(createCron(structuredClone(spec), name)))).toEqual(want);
  });
});

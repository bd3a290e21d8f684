/**
 * Conformance: kubernetes/kubernetes test/e2e/apps/cronjob.go ("[sig-apps] CronJob"), the API
 * operations row: create, get, list, watch (namespaced and cluster-wide), merge patch, update,
 * /status get, patch and update, delete and deletecollection.
 */
import { describe, expect, it } from 'vitest';
import { BatchV1Api, PatchStrategy, setHeaderOptions, type V1CronJob } from '@kubernetes/client-node';
import { newFramework, retryOnConflict } from '../framework.ts';
import { WatchStream } from '../watch-stream.ts';

const f = newFramework('cronjob');

// imageutils.GetE2EImage(imageutils.BusyBox) upstream.
const busyBoxImage = 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1';
// Pod will complete instantly
const successCommand = ['/bin/true'];
// wait.ForeverTestTimeout upstream
const foreverTestTimeoutMs = 30_000;

/** Upstream newTestCronJob. */
function newTestCronJob(name: string, schedule: string, concurrencyPolicy: string, command: string[] | undefined,
  successfulJobsHistoryLimit: number | undefined, failedJobsHistoryLimit: number | undefined): V1CronJob {
  return {
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule,
      concurrencyPolicy,
      successfulJobsHistoryLimit,
      failedJobsHistoryLimit,
      jobTemplate: {
        spec: {
          parallelism: 1,
          completions: 1,
          backoffLimit: 1,
          template: {
            spec: {
              restartPolicy: 'OnFailure',
              volumes: [{ name: 'data', emptyDir: {} }],
              containers: [{
                name: 'c',
                image: busyBoxImage,
                volumeMounts: [{ mountPath: '/data', name: 'data' }],
                ...(command === undefined ? {} : { command }),
              }],
            },
          },
        },
      },
    },
  };
}


/** RFC3339 with whole seconds (metav1.Now().Rfc3339Copy()): the wire format drops sub-seconds. */
function nowRfc3339(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

describe('[sig-apps] CronJob', () => {
  it('CronJob API Operations', async () => {
    // Creating a cronjob
    const uniqueName = f.namespace;
    const cjTemplate = newTestCronJob('test-api', '* */1 * * ?', 'Allow', successCommand, 1, 0);
    cjTemplate.metadata!.labels = { 'special-label': uniqueName };

    const ns = f.namespace;
    const cjClient = f.kc.makeApiClient(BatchV1Api);
    const selector = `special-label=${uniqueName}`;
    const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const watches: WatchStream<V1CronJob>[] = [];

    try {
      // creating
      const createdCronJob = await cjClient.createNamespacedCronJob({ namespace: ns, body: cjTemplate });
      const name = createdCronJob.metadata!.name!;

      // getting
      const gottenCronJob = await cjClient.readNamespacedCronJob({ name, namespace: ns });
      expect(gottenCronJob.metadata?.uid).toBe(createdCronJob.metadata?.uid);

      // listing
      let cjs = await cjClient.listNamespacedCronJob({ namespace: ns, labelSelector: selector });
      expect(cjs.items, 'filtered list should have 1 item').toHaveLength(1);

      // watching
      const cjWatch = await WatchStream.open<V1CronJob>(f.kc, `/apis/batch/v1/namespaces/${ns}/cronjobs`,
        { resourceVersion: cjs.metadata?.resourceVersion, labelSelector: selector });
      watches.push(cjWatch);

      // Test cluster-wide list and watch
      // cluster-wide listing
      const clusterCJs = await cjClient.listCronJobForAllNamespaces({ labelSelector: selector });
      expect(clusterCJs.items, 'filtered list should have 1 item').toHaveLength(1);

      // cluster-wide watching
      watches.push(await WatchStream.open<V1CronJob>(f.kc, '/apis/batch/v1/cronjobs',
        { resourceVersion: cjs.metadata?.resourceVersion, labelSelector: selector }));

      // patching
      const patchedCronJob = await cjClient.patchNamespacedCronJob(
        { name, namespace: ns, body: { metadata: { annotations: { patched: 'true' } } } }, mergePatch);
      expect(patchedCronJob.metadata?.annotations, 'patched object should have the applied annotation').toHaveProperty('patched', 'true');

      // updating
      const updatedCronJob = await retryOnConflict(async () => {
        const cjToUpdate = await cjClient.readNamespacedCronJob({ name, namespace: ns });
        cjToUpdate.metadata!.annotations!.updated = 'true';
        return cjClient.replaceNamespacedCronJob({ name, namespace: ns, body: cjToUpdate });
      });
      expect(updatedCronJob.metadata?.annotations, 'updated object should have the applied annotation').toHaveProperty('updated', 'true');

      // waiting for watch events with expected annotations
      for (let sawAnnotations = false; !sawAnnotations;) {
        const evt = await cjWatch.next(foreverTestTimeoutMs);
        expect(evt.type).toBe('MODIFIED');
        expect(evt.object.kind, `expected CronJob, got ${JSON.stringify(evt.object)}`).toBe('CronJob');
        if (evt.object.metadata?.annotations?.patched === 'true') {
          sawAnnotations = true;
          cjWatch.stop();
        }
      }

      // /status subresource operations
      // patching /status
      const now1 = nowRfc3339();
      const patchedStatus = await cjClient.patchNamespacedCronJobStatus({
        name, namespace: ns,
        body: { metadata: { annotations: { patchedstatus: 'true' } }, status: { lastScheduleTime: now1.toISOString().replace('.000Z', 'Z') } },
      }, mergePatch);
      expect(patchedStatus.status?.lastScheduleTime?.getTime(),
        `patched object should have the applied lastScheduleTime ${now1.toISOString()}, got ${String(patchedStatus.status?.lastScheduleTime)} instead`)
        .toBe(now1.getTime());
      expect(patchedStatus.metadata?.annotations, 'patched object should have the applied annotation').toHaveProperty('patchedstatus', 'true');

      // updating /status
      const now2 = nowRfc3339();
      const updatedStatus = await retryOnConflict(async () => {
        const statusToUpdate = await cjClient.readNamespacedCronJob({ name, namespace: ns });
        statusToUpdate.status = { ...statusToUpdate.status, lastScheduleTime: now2 };
        return cjClient.replaceNamespacedCronJobStatus({ name, namespace: ns, body: statusToUpdate });
      });
      expect(updatedStatus.status?.lastScheduleTime?.getTime(),
        `updated object status expected to have updated lastScheduleTime ${now2.toISOString()}, got ${String(updatedStatus.status?.lastScheduleTime)}`)
        .toBe(now2.getTime());

      // get /status
      const gottenStatus = await cjClient.readNamespacedCronJobStatus({ name, namespace: ns });
      expect(gottenStatus.metadata?.uid, 'createdCronJob.UID expected to match statusUID').toBe(createdCronJob.metadata?.uid);

      // CronJob resource delete operations
      const expectFinalizer = (cj: V1CronJob, msg: string): void => {
        expect(cj.metadata?.deletionTimestamp, `expected deletionTimestamp, got nil on step: ${msg}, cronjob: ${JSON.stringify(cj)}`).toBeDefined();
        expect(cj.metadata?.finalizers ?? [], `expected finalizers on cronjob, got none on step: ${msg}, cronjob: ${JSON.stringify(cj)}`).not.toHaveLength(0);
      };

      // deleting
      cjTemplate.metadata!.name = 'for-removal';
      const forRemovalCronJob = await cjClient.createNamespacedCronJob({ namespace: ns, body: cjTemplate });
      await cjClient.deleteNamespacedCronJob({ name: forRemovalCronJob.metadata!.name!, namespace: ns });
      let cj: V1CronJob | undefined;
      try {
        cj = await cjClient.readNamespacedCronJob({ name: forRemovalCronJob.metadata!.name!, namespace: ns });
      } catch (err) {
        // If the controller does not support finalizers, we expect a 404.
        expect((err as { code?: number }).code, `expected 404, got ${String(err)}`).toBe(404);
      }
      if (cj !== undefined) expectFinalizer(cj, 'deleting cronjob');

      // deleting a collection
      await cjClient.deleteCollectionNamespacedCronJob({ namespace: ns, labelSelector: selector });
      cjs = await cjClient.listNamespacedCronJob({ namespace: ns, labelSelector: selector });
      // Should have <= 2 items since some cronjobs might not have been deleted yet due to finalizers
      expect(cjs.items.length, `filtered list length should be <= 2, got: ${JSON.stringify(cjs.items)}`).toBeLessThanOrEqual(2);
      // Validate finalizers
      for (const item of cjs.items) expectFinalizer(item, 'deleting cronjob collection');
    } finally {
      for (const w of watches) w.stop();
    }
  });
});

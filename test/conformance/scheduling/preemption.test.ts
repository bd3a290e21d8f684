/**
 * Conformance: kubernetes/kubernetes test/e2e/scheduling/preemption.go ("[sig-scheduling]
 * SchedulerPreemption"), the PriorityClass endpoints row. The enclosing Describe's node checks
 * are not needed by this test's steps and are left out.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PatchStrategy, SchedulingV1Api, setHeaderOptions, type V1PriorityClass } from '@kubernetes/client-node';
import { newFramework } from '../framework.ts';

const f = newFramework('sched-preemption-path');

describe('[sig-scheduling] SchedulerPreemption', () => {
  describe('PriorityClass endpoints', () => {
    const testUUID = randomUUID();
    let pcs: V1PriorityClass[] = [];

    beforeEach(async () => {
      const scheduling = f.kc.makeApiClient(SchedulingV1Api);
      pcs = [];
      // Create 2 PriorityClass: p1, p2.
      for (let i = 1; i <= 2; i++) {
        pcs.push(await scheduling.createPriorityClass({ body: { metadata: { name: `p${i}`, labels: { e2e: testUUID } }, value: i } }));
      }
    });

    afterEach(async () => {
      // Collection deletion on created PriorityClasses.
      await f.kc.makeApiClient(SchedulingV1Api).deleteCollectionPriorityClass({ labelSelector: `e2e=${testUUID}` });
    });

    it('Scheduler, Verify PriorityClass endpoints', async () => {
      const scheduling = f.kc.makeApiClient(SchedulingV1Api);
      // What CreateTwoWayMergePatch makes of a change to value and description.
      const patch = (name: string, body: object) =>
        scheduling.patchPriorityClass({ name, body }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));

      // 1. Patch/Update on immutable fields will fail.
      await expect(patch(pcs[0]!.metadata!.name!, { value: pcs[0]!.value * 10 }), 'expect a patch error on an immutable field')
        .rejects.toMatchObject({ code: 422 });
      await expect(scheduling.replacePriorityClass({ name: pcs[1]!.metadata!.name!, body: { ...pcs[1]!, value: pcs[1]!.value * 10 } }),
        'expect an update error on an immutable field').rejects.toMatchObject({ code: 422 });

      // 2. Patch/Update on mutable fields will succeed.
      const newDesc = 'updated description';
      await patch(pcs[0]!.metadata!.name!, { description: newDesc });
      await scheduling.replacePriorityClass({ name: pcs[1]!.metadata!.name!, body: { ...pcs[1]!, description: newDesc } });

      // 3. List existing PriorityClasses.
      await scheduling.listPriorityClass();

      // 4. Verify fields of updated PriorityClasses.
      for (const pc of pcs) {
        const live = await scheduling.readPriorityClass({ name: pc.metadata!.name! });
        expect(live.value).toBe(pc.value);
        expect(live.description).toBe(newDesc);
      }
    });
  });
});

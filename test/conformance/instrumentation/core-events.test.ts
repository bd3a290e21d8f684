/**
 * Conformance: kubernetes/kubernetes test/e2e/instrumentation/core_events.go ("[sig-instrumentation]
 * Events"), through the core/v1 events client as upstream's CoreV1().Events().
 */
import { describe, expect, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { newFramework, poll } from '../framework.ts';

const f = newFramework('events');

// eventRetryTimeout upstream
const eventRetryTimeoutMs = 60_000;

describe('[sig-instrumentation] Events', () => {
  it('Event, delete a collection', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const namespace = f.namespace;
    const eventTestNames = ['test-event-1', 'test-event-2', 'test-event-3'];

    // Create set of events
    for (const eventTestName of eventTestNames) {
      await core.createNamespacedEvent({
        namespace,
        body: {
          metadata: { name: eventTestName, labels: { 'testevent-set': 'true' } },
          message: `This is ${eventTestName}`,
          reason: 'Test',
          type: 'Normal',
          count: 1,
          involvedObject: { namespace },
        },
      });
    }

    // get a list of Events with a label in the current namespace
    const eventList = await core.listNamespacedEvent({ namespace, labelSelector: 'testevent-set=true' });
    expect(eventList.items.length, 'looking for expected number of pod templates events').toBe(eventTestNames.length);

    // delete collection of events
    await core.deleteCollectionNamespacedEvent({ namespace, labelSelector: 'testevent-set=true' });

    // check that the list of events matches the requested quantity
    await poll('the labelled events to be gone', async () => {
      const list = await core.listNamespacedEvent({ namespace, labelSelector: 'testevent-set=true' });
      return list.items.length === 0 ? true : undefined;
    }, eventRetryTimeoutMs);
  });
});

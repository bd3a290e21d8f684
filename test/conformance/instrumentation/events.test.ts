/**
 * Conformance: kubernetes/kubernetes test/e2e/instrumentation/events.go ("[sig-instrumentation]
 * Events API"), through the events.k8s.io/v1 client as upstream's EventsV1() client.
 */
import { describe, expect, it } from 'vitest';
import { EventsV1Api, V1MicroTime, type EventsV1Event } from '@kubernetes/client-node';
import { newFramework } from '../framework.ts';

const f = newFramework('events');

/** Upstream newTestEvent. */
function newTestEvent(namespace: string, name: string, label: string): EventsV1Event {
  const someTime = new V1MicroTime(1505828956 * 1000);
  return {
    metadata: { name, labels: { [label]: 'true' } },
    regarding: { namespace },
    eventTime: someTime,
    note: `This is ${name}`,
    action: 'Do',
    reason: 'Test',
    type: 'Normal',
    reportingController: 'test-controller',
    reportingInstance: 'test-node',
  };
}

describe('[sig-instrumentation] Events API', () => {
  it('New Event resource lifecycle, testing a list of events', async () => {
    const client = f.kc.makeApiClient(EventsV1Api);
    const namespace = f.namespace;
    const eventNames = ['test-event-1', 'test-event-2', 'test-event-3'];

    // Create set of events
    for (const eventName of eventNames) {
      await client.createNamespacedEvent({ namespace, body: newTestEvent(namespace, eventName, 'testevent-set') });
    }

    // get a list of Events with a label in the current namespace
    let eventList = await client.listNamespacedEvent({ namespace, labelSelector: 'testevent-set=true' });
    expect(eventList.items.length, `unexpected event list: ${JSON.stringify(eventList.items)}`).toBe(eventNames.length);

    // delete a list of events
    await client.deleteCollectionNamespacedEvent({ namespace, labelSelector: 'testevent-set=true' });

    // check that the list of events matches the requested quantity
    eventList = await client.listNamespacedEvent({ namespace, labelSelector: 'testevent-set=true' });
    expect(eventList.items.length, `unexpected event list: ${JSON.stringify(eventList.items)}`).toBe(0);
  });
});

/**
 * Conformance: watches on ConfigMaps (upstream test/e2e/apimachinery/watch.go, "Watchers").
 * Each test opens label-selected watches with @kubernetes/client-node's Watch and checks which
 * notifications arrive, in which order, and with which objects.
 */
import { describe, expect, it } from 'vitest';
import { CoreV1Api, Watch, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { newFramework } from '../framework.ts';

const watchConfigMapLabelKey = 'watch-this-configmap';
const multipleWatchersLabelValueA = 'multiple-watchers-A';
const multipleWatchersLabelValueB = 'multiple-watchers-B';
const fromResourceVersionLabelValue = 'from-resource-version';
const watchRestartedLabelValue = 'watch-closed-and-restarted';
const toBeChangedLabelValue = 'label-changed-and-restored';

/** As upstream: an expected notification may take a minute; an unexpected one is looked for over 10 s. */
const expectEventTimeoutMs = 60_000;
const expectNoEventTimeoutMs = 10_000;

interface WatchEvent {
  type: string;
  object: { kind?: string; metadata?: { resourceVersion?: string } } & Record<string, unknown>;
}

/**
 * One watch stream as a queue of events, like client-go's watch.Interface result channel.
 * With `retry`, a stream the server ends is reopened from the last resourceVersion seen, as
 * client-go's RetryWatcher does.
 */
class EventQueue {
  private readonly events: WatchEvent[] = [];
  private wake: (() => void) | undefined;
  private controller: AbortController | undefined;
  private stopped = false;
  private closedWith: string | undefined;
  private lastResourceVersion: string;

  private constructor(
    private readonly kc: KubeConfig,
    private readonly path: string,
    private readonly params: Record<string, string>,
    private readonly retry: boolean,
  ) {
    this.lastResourceVersion = params.resourceVersion ?? '';
  }

  static async open(kc: KubeConfig, path: string, params: Record<string, string>, retry = false): Promise<EventQueue> {
    const queue = new EventQueue(kc, path, params, retry);
    await queue.start();
    if (queue.closedWith !== undefined) throw new Error(`watch ${path} failed: ${queue.closedWith}`);
    return queue;
  }

  private async start(): Promise<void> {
    const params = { ...this.params, ...(this.lastResourceVersion ? { resourceVersion: this.lastResourceVersion } : {}) };
    this.controller = await new Watch(this.kc).watch(this.path, params, (type: string, object: WatchEvent['object']) => {
      if (this.stopped) return;
      const rv = object?.metadata?.resourceVersion;
      if (type !== 'ERROR' && rv) this.lastResourceVersion = rv;
      this.events.push({ type, object });
      this.notify();
    }, (err: unknown) => {
      if (this.stopped) return;
      if (this.retry && err === null) {
        void this.start();
        return;
      }
      this.closedWith = err === null ? 'closed by the server' : String(err);
      this.notify();
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** The next event, or undefined after `timeoutMs`; throws when the watch closed unexpectedly. */
  async next(timeoutMs: number): Promise<WatchEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = this.events.shift();
      if (event) return event;
      if (this.closedWith !== undefined) throw new Error(`Watch closed unexpectedly: ${this.closedWith}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
    }
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    this.notify();
  }
}

/**
 * A typed object and a raw watch object compared as apimachinery's semantic equality would:
 * timestamps from the typed client are Dates, on the wire they are RFC 3339 strings (seconds);
 * key order does not matter. Returns a canonical JSON string.
 */
function semantic(obj: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (value instanceof Date) return value.toISOString().replace(/\.000Z$/, 'Z');
    if (Array.isArray(value)) return value.map(canonical);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]));
    }
    return value;
  };
  return JSON.stringify(canonical(obj));
}

/** Reads events until one of `type` (and equal to `object` when given) arrives, or the time is up. */
async function waitForEvent(w: EventQueue, type: string, object: V1ConfigMap | undefined, timeoutMs: number): Promise<{ ok: boolean; event?: WatchEvent; seen: string[] }> {
  const deadline = Date.now() + timeoutMs;
  const seen: string[] = [];
  const expected = object === undefined ? undefined : semantic(object);
  for (;;) {
    const event = await w.next(Math.max(0, deadline - Date.now()));
    if (!event) return { ok: false, seen };
    seen.push(`${event.type} ${JSON.stringify(event.object)}`);
    if (event.type === type && (expected === undefined || semantic(event.object) === expected)) {
      return { ok: true, event, seen };
    }
  }
}

async function expectEvent(w: EventQueue, type: string, object?: V1ConfigMap): Promise<WatchEvent> {
  const { ok, event, seen } = await waitForEvent(w, type, object, expectEventTimeoutMs);
  if (!ok || !event) {
    throw new Error(`Timed out waiting for expected watch notification: ${type} ${JSON.stringify(object ?? null)}; got: ${seen.join('\n')}`);
  }
  return event;
}

async function expectNoEvent(w: EventQueue, type: string, object?: V1ConfigMap): Promise<void> {
  const { ok, event } = await waitForEvent(w, type, object, expectNoEventTimeoutMs);
  if (ok) throw new Error(`Unexpected watch notification observed: ${event?.type} ${JSON.stringify(event?.object)}`);
}

function setConfigMapData(cm: V1ConfigMap, key: string, value: string): void {
  cm.data = { ...(cm.data ?? {}), [key]: value };
}

const isConflict = (err: unknown): boolean => (err as { code?: number }).code === 409;

/** Get, mutate and update, retrying on conflicts (upstream's updateConfigMap). */
async function updateConfigMap(core: CoreV1Api, namespace: string, name: string, mutate: (cm: V1ConfigMap) => void): Promise<V1ConfigMap> {
  for (let attempt = 0; ; attempt++) {
    const cm = await core.readNamespacedConfigMap({ name, namespace });
    mutate(cm);
    try {
      return await core.replaceNamespacedConfigMap({ name, namespace, body: cm });
    } catch (err) {
      if (!isConflict(err) || attempt >= 4) throw err;
    }
  }
}

describe('Watchers', () => {
  const f = newFramework('watch');
  const open: EventQueue[] = [];

  /** A watch on this namespace's configmaps whose label watch-this-configmap is one of `labels` (upstream's watchConfigMaps). */
  async function watchConfigMaps(resourceVersion: string, ...labels: string[]): Promise<EventQueue> {
    const params: Record<string, string> = { labelSelector: `${watchConfigMapLabelKey} in (${[...labels].sort().join(',')})` };
    if (resourceVersion) params.resourceVersion = resourceVersion;
    const w = await EventQueue.open(f.kc, `/api/v1/namespaces/${f.namespace}/configmaps`, params);
    open.push(w);
    return w;
  }

  async function withWatches(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } finally {
      for (const w of open.splice(0)) w.stop();
    }
  }

  it('watch-configmaps-with-multiple-watchers', () => withWatches(async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const ns = f.namespace;

    // creating a watch on configmaps with label A, with label B, and with label A or B
    const watchA = await watchConfigMaps('', multipleWatchersLabelValueA);
    const watchB = await watchConfigMaps('', multipleWatchersLabelValueB);
    const watchAB = await watchConfigMaps('', multipleWatchersLabelValueA, multipleWatchersLabelValueB);

    // creating a configmap with label A and ensuring the correct watchers observe the notification
    let testConfigMapA = await core.createNamespacedConfigMap({ namespace: ns, body: {
      metadata: { name: 'e2e-watch-test-configmap-a', labels: { [watchConfigMapLabelKey]: multipleWatchersLabelValueA } },
    } });
    await expectEvent(watchA, 'ADDED', testConfigMapA);
    await expectEvent(watchAB, 'ADDED', testConfigMapA);
    await expectNoEvent(watchB, 'ADDED', testConfigMapA);

    // modifying configmap A and ensuring the correct watchers observe the notification
    testConfigMapA = await updateConfigMap(core, ns, testConfigMapA.metadata!.name!, (cm) => setConfigMapData(cm, 'mutation', '1'));
    await expectEvent(watchA, 'MODIFIED', testConfigMapA);
    await expectEvent(watchAB, 'MODIFIED', testConfigMapA);
    await expectNoEvent(watchB, 'MODIFIED', testConfigMapA);

    // modifying configmap A again and ensuring the correct watchers observe the notification
    testConfigMapA = await updateConfigMap(core, ns, testConfigMapA.metadata!.name!, (cm) => setConfigMapData(cm, 'mutation', '2'));
    await expectEvent(watchA, 'MODIFIED', testConfigMapA);
    await expectEvent(watchAB, 'MODIFIED', testConfigMapA);
    await expectNoEvent(watchB, 'MODIFIED', testConfigMapA);

    // deleting configmap A and ensuring the correct watchers observe the notification
    await core.deleteNamespacedConfigMap({ name: testConfigMapA.metadata!.name!, namespace: ns });
    await expectEvent(watchA, 'DELETED');
    await expectEvent(watchAB, 'DELETED');
    await expectNoEvent(watchB, 'DELETED');

    // creating a configmap with label B and ensuring the correct watchers observe the notification
    const testConfigMapB = await core.createNamespacedConfigMap({ namespace: ns, body: {
      metadata: { name: 'e2e-watch-test-configmap-b', labels: { [watchConfigMapLabelKey]: multipleWatchersLabelValueB } },
    } });
    await expectEvent(watchB, 'ADDED', testConfigMapB);
    await expectEvent(watchAB, 'ADDED', testConfigMapB);
    await expectNoEvent(watchA, 'ADDED', testConfigMapB);

    // deleting configmap B and ensuring the correct watchers observe the notification
    await core.deleteNamespacedConfigMap({ name: testConfigMapB.metadata!.name!, namespace: ns });
    await expectEvent(watchB, 'DELETED');
    await expectEvent(watchAB, 'DELETED');
    await expectNoEvent(watchA, 'DELETED');
  }), 180_000);

  it('watch-configmaps-from-resource-version', () => withWatches(async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const ns = f.namespace;

    // creating a new configmap
    const testConfigMap = await core.createNamespacedConfigMap({ namespace: ns, body: {
      metadata: { name: 'e2e-watch-test-resource-version', labels: { [watchConfigMapLabelKey]: fromResourceVersionLabelValue } },
    } });
    const name = testConfigMap.metadata!.name!;

    // modifying the configmap once, then a second time
    const testConfigMapFirstUpdate = await updateConfigMap(core, ns, name, (cm) => setConfigMapData(cm, 'mutation', '1'));
    const testConfigMapSecondUpdate = await updateConfigMap(core, ns, name, (cm) => setConfigMapData(cm, 'mutation', '2'));

    // deleting the configmap
    await core.deleteNamespacedConfigMap({ name, namespace: ns });

    // creating a watch on configmaps from the resource version returned by the first update
    const testWatch = await watchConfigMaps(testConfigMapFirstUpdate.metadata!.resourceVersion!, fromResourceVersionLabelValue);

    // Expecting to observe notifications for all changes to the configmap after the first update
    await expectEvent(testWatch, 'MODIFIED', testConfigMapSecondUpdate);
    await expectEvent(testWatch, 'DELETED');
  }));

  it('watch-configmaps-closed-and-restarted', () => withWatches(async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const ns = f.namespace;
    const configMapName = 'e2e-watch-test-watch-closed';

    // creating a watch on configmaps
    const testWatchBroken = await watchConfigMaps('', watchRestartedLabelValue);

    // creating a new configmap
    const testConfigMap = await core.createNamespacedConfigMap({ namespace: ns, body: {
      metadata: { name: configMapName, labels: { [watchConfigMapLabelKey]: watchRestartedLabelValue } },
    } });

    // modifying the configmap once
    await updateConfigMap(core, ns, configMapName, (cm) => setConfigMapData(cm, 'mutation', '1'));

    // closing the watch once it receives two notifications
    await expectEvent(testWatchBroken, 'ADDED', testConfigMap);
    const { ok, event: lastEvent } = await waitForEvent(testWatchBroken, 'MODIFIED', undefined, expectEventTimeoutMs);
    if (!ok || !lastEvent) throw new Error('Timed out waiting for second watch notification');
    testWatchBroken.stop();

    // modifying the configmap a second time, while the watch is closed
    const testConfigMapSecondUpdate = await updateConfigMap(core, ns, configMapName, (cm) => setConfigMapData(cm, 'mutation', '2'));

    // creating a new watch on configmaps from the last resource version observed by the first watch
    expect(lastEvent.object.kind, `Expected last notification to refer to a configmap but got: ${JSON.stringify(lastEvent)}`).toBe('ConfigMap');
    const lastResourceVersion = lastEvent.object.metadata?.resourceVersion ?? '';
    expect(lastResourceVersion).not.toBe('');
    const testWatchRestarted = await watchConfigMaps(lastResourceVersion, watchRestartedLabelValue);

    // deleting the configmap
    await core.deleteNamespacedConfigMap({ name: configMapName, namespace: ns });

    // Expecting to observe notifications for all changes to the configmap since the first watch closed
    await expectEvent(testWatchRestarted, 'MODIFIED', testConfigMapSecondUpdate);
    await expectEvent(testWatchRestarted, 'DELETED');
  }));

  it('watch-configmaps-label-changed', () => withWatches(async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const ns = f.namespace;
    const configMapName = 'e2e-watch-test-label-changed';

    // creating a watch on configmaps with a certain label
    const testWatch = await watchConfigMaps('', toBeChangedLabelValue);

    // creating a new configmap
    const testConfigMap = await core.createNamespacedConfigMap({ namespace: ns, body: {
      metadata: { name: configMapName, labels: { [watchConfigMapLabelKey]: toBeChangedLabelValue } },
    } });

    // modifying the configmap once
    const testConfigMapFirstUpdate = await updateConfigMap(core, ns, configMapName, (cm) => setConfigMapData(cm, 'mutation', '1'));

    // changing the label value of the configmap
    await updateConfigMap(core, ns, configMapName, (cm) => { cm.metadata!.labels![watchConfigMapLabelKey] = 'wrong-value'; });

    // Expecting to observe a delete notification for the watched object
    await expectEvent(testWatch, 'ADDED', testConfigMap);
    await expectEvent(testWatch, 'MODIFIED', testConfigMapFirstUpdate);
    await expectEvent(testWatch, 'DELETED');

    // modifying the configmap a second time
    const testConfigMapSecondUpdate = await updateConfigMap(core, ns, configMapName, (cm) => setConfigMapData(cm, 'mutation', '2'));

    // Expecting not to observe a notification because the object no longer meets the selector's requirements
    await expectNoEvent(testWatch, 'MODIFIED', testConfigMapSecondUpdate);

    // changing the label value of the configmap back
    const testConfigMapLabelRestored = await updateConfigMap(core, ns, configMapName, (cm) => {
      cm.metadata!.labels![watchConfigMapLabelKey] = toBeChangedLabelValue;
    });

    // modifying the configmap a third time
    const testConfigMapThirdUpdate = await updateConfigMap(core, ns, configMapName, (cm) => setConfigMapData(cm, 'mutation', '3'));

    // deleting the configmap
    await core.deleteNamespacedConfigMap({ name: configMapName, namespace: ns });

    // Expecting to observe an add notification for the watched object when the label value was restored
    await expectEvent(testWatch, 'ADDED', testConfigMapLabelRestored);
    await expectEvent(testWatch, 'MODIFIED', testConfigMapThirdUpdate);
    await expectEvent(testWatch, 'DELETED');
  }));

  it('watch-consistency', () => withWatches(async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const ns = f.namespace;
    const iterations = 100;

    // getting a starting resourceVersion
    const configmaps = await core.listNamespacedConfigMap({ namespace: ns });
    let resourceVersion = configmaps.metadata!.resourceVersion!;

    // starting a background producer of watch events: a create, update or delete every 5 ms at most
    let stop = false;
    const producer = (async () => {
      const existing: number[] = [];
      let i = 0;
      let updates = 0;
      while (!stop) {
        const tick = new Promise((resolve) => setTimeout(resolve, 5));
        let op = Math.floor(Math.random() * 3);
        if (existing.length === 0) op = 0;
        if (op === 0) {
          await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: `cm-${i}` } } });
          existing.push(i);
          i++;
        } else if (op === 1) {
          const name = `cm-${existing[Math.floor(Math.random() * existing.length)]!}`;
          // An unconditional update (no resourceVersion) that changes a label, as upstream.
          await core.replaceNamespacedConfigMap({ name, namespace: ns, body: { metadata: { name, labels: { mutated: String(updates) } } } });
          updates++;
        } else {
          const idx = Math.floor(Math.random() * existing.length);
          await core.deleteNamespacedConfigMap({ name: `cm-${existing[idx]!}`, namespace: ns });
          existing.splice(idx, 1);
        }
        await tick;
      }
    })();
    // A producer failure fails the test (but only once the watches are checked or it is awaited).
    let producerError: unknown;
    producer.catch((err: unknown) => { producerError = err; stop = true; });

    const waitForNextConfigMapEvent = async (w: EventQueue): Promise<WatchEvent['object']> => {
      const event = await w.next(10_000);
      if (producerError !== undefined) throw new Error(`producing events failed: ${String(producerError)}`);
      if (!event) throw new Error('timed out waiting for watch event');
      if (event.object?.kind !== 'ConfigMap') throw new Error(`expected config map, got ${event.type} ${JSON.stringify(event.object)}`);
      return event.object;
    };

    try {
      // creating watches starting from each resource version of the events produced and verifying
      // they all receive resource versions in the same order
      const wcs: EventQueue[] = [];
      for (let i = 0; i < iterations; i++) {
        const wc = await EventQueue.open(f.kc, `/api/v1/namespaces/${ns}/configmaps`, { resourceVersion }, true);
        open.push(wc);
        wcs.push(wc);
        resourceVersion = (await waitForNextConfigMapEvent(wcs[0]!)).metadata!.resourceVersion!;
        for (const other of wcs.slice(1)) {
          const e = await waitForNextConfigMapEvent(other);
          if (e.metadata?.resourceVersion !== resourceVersion) {
            throw new Error(`resource version mismatch, expected ${resourceVersion} but got ${e.metadata?.resourceVersion}`);
          }
        }
      }
    } finally {
      stop = true;
      await producer.catch(() => undefined);
    }
    if (producerError !== undefined) throw producerError;
  }), 180_000);
});

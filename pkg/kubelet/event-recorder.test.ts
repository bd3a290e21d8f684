import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { ApiClient } from './api-client.ts';
import { EventRecorder } from './event-recorder.ts';
import { logger } from '../util/log.ts';

/** An apiserver that answers only when told to: writes pile up as they do under load. */
class StalledClient extends ApiClient {
  readonly writes: string[] = [];
  private readonly waiting: (() => void)[] = [];
  constructor() {
    super(new KubeConfig(), 'test');
  }
  override request<T>(method: string, path: string): Promise<T> {
    this.writes.push(`${method} ${path}`);
    return new Promise<T>((resolve) => this.waiting.push(() => resolve({} as T)));
  }
  answerAll(): void {
    for (const answer of this.waiting.splice(0)) answer();
  }
}

const pod = (i: number) => ({ kind: 'Pod', namespace: 'ns', name: `p${i}`, uid: `uid-${i}` });

describe('kubelet EventRecorder', () => {
  it('drops new events once maxQueued are waiting, instead of queueing without bound', async () => {
    const client = new StalledClient();
    const recorder = new EventRecorder(client, logger('test'), { concurrency: 4, maxQueued: 100, remember: 400 });
    for (let i = 0; i < 5000; i++) recorder.record(pod(i), 'node-0', 'Normal', 'Started', 'Started container c');
    // 4 in flight, 100 waiting, the rest dropped.
    expect(client.writes).toHaveLength(4);
    expect(recorder.droppedEvents).toBe(5000 - 104);
    // Once the apiserver answers, the backlog drains and new events are taken again.
    for (let round = 0; round < 30 && client.writes.length < 104; round++) {
      client.answerAll();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(client.writes).toHaveLength(104);
    client.answerAll();
    await new Promise((resolve) => setImmediate(resolve));
    recorder.record(pod(9999), 'node-0', 'Normal', 'Started', 'Started container c');
    expect(client.writes.at(-1)).toBe('POST /api/v1/namespaces/ns/events');
    expect(client.writes).toHaveLength(105);
    recorder.close();
  });

  it('folds a repeat of a written event into its count', async () => {
    const client = new StalledClient();
    const recorder = new EventRecorder(client, logger('test'));
    recorder.record(pod(1), 'node-0', 'Warning', 'BackOff', 'Back-off restarting failed container');
    client.answerAll();
    await new Promise((resolve) => setImmediate(resolve));
    recorder.record(pod(1), 'node-0', 'Warning', 'BackOff', 'Back-off restarting failed container');
    expect(client.writes).toHaveLength(2);
    expect(client.writes[1]).toMatch(/^PATCH \/api\/v1\/namespaces\/ns\/events\/p1\./);
    recorder.close();
  });
});

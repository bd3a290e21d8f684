import { describe, expect, it } from 'vitest';
import { WorkQueue } from './workqueue.ts';

describe('WorkQueue', () => {
  it('de-duplicates waiting keys', async () => {
    const q = new WorkQueue();
    q.add('a'); q.add('a'); q.add('b');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });
  it('never hands a key being processed to a second worker, and requeues it after done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const k = await q.get();
    q.add('a');
    expect(q.length).toBe(0);
    q.done(k!);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
  });
  it('wakes a waiting worker and stops on shutdown', async () => {
    const q = new WorkQueue();
    const next = q.get();
    q.add('x');
    expect(await next).toBe('x');
    const after = q.get();
    q.shutDown();
    expect(await after).toBeUndefined();
  });
});

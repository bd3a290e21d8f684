/**
 * core/v1 Events as the kubelet records them (client-go tools/record: source {component kubelet,
 * host <node>}, reportingComponent kubelet, reportingInstance <node>, name "<object>.<hex nanos>"),
 * kept off the hot path: `record` only queues; a few requests at a time write them. Repeats of one
 * event (same object, field, type, reason, message) are folded into its count, as the
 * EventCorrelator's aggregation does, so a crash-looping pod does not flood the apiserver.
 */
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import type { Logger } from '../util/log.ts';
import type { ApiClient } from './api-client.ts';

export type EventType = 'Normal' | 'Warning';

interface Pending {
  ref: ObjectReference;
  host: string;
  type: EventType;
  reason: string;
  message: string;
  /** Name once created; undefined before. */
  name?: string;
  count: number;
  written: number;
  first: string;
  last: string;
  queued: boolean;
}

export interface EventRecorderOptions {
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Distinct events remembered for folding repeats (default 4096). */
  remember?: number;
  /** Events waiting to be written; past this new ones are dropped, as client-go's broadcaster does at 1000. */
  maxQueued?: number;
}

export class EventRecorder {
  private readonly byKey = new Map<string, Pending>();
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private closed = false;
  private seq = 0n;
  private readonly concurrency: number;
  private readonly remember: number;
  private readonly maxQueued: number;
  private dropped = 0;

  constructor(private readonly client: ApiClient, private readonly log: Logger, opts: EventRecorderOptions = {}) {
    this.concurrency = opts.concurrency ?? 4;
    this.remember = opts.remember ?? 4096;
    this.maxQueued = Math.min(opts.maxQueued ?? 1000, this.remember / 2);
  }

  /** Events dropped because too many were waiting. */
  get droppedEvents(): number {
    return this.dropped;
  }

  /** Queues one event about `ref`, reported by the kubelet of node `host`. Never blocks, never throws. */
  record(ref: ObjectReference, host: string, type: EventType, reason: string, message: string): void {
    if (this.closed) return;
    const key = [ref.uid, ref.fieldPath ?? '', type, reason, message].join('\u0000');
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    let pending = this.byKey.get(key);
    if (pending) {
      pending.count++;
      pending.last = now;
    } else {
      // A backlog this long means the apiserver is not keeping up: drop rather than queue without bound.
      if (this.queue.length >= this.maxQueued) {
        this.dropped++;
        return;
      }
      if (this.byKey.size >= this.remember) this.forgetWritten();
      pending = { ref, host, type, reason, message, count: 1, written: 0, first: now, last: now, queued: false };
      this.byKey.set(key, pending);
    }
    if (!pending.queued) {
      pending.queued = true;
      this.queue.push(pending);
      this.pump();
    }
  }

  /** Stops writing; queued events are dropped (the process is going away). */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  /**
   * Forgets the oldest events not waiting to be written, down to half of `remember`. At most
   * `maxQueued` (≤ remember / 2) entries are waiting, so the scan from the oldest finds enough at once.
   */
  private forgetWritten(): void {
    for (const [key, p] of this.byKey) {
      if (!p.queued) this.byKey.delete(key);
      if (this.byKey.size < this.remember / 2) break;
    }
  }

  private pump(): void {
    while (!this.closed && this.inFlight < this.concurrency && this.queue.length > 0) {
      const next = this.queue.shift()!;
      next.queued = false;
      this.inFlight++;
      void this.write(next).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async write(p: Pending): Promise<void> {
    const namespace = p.ref.namespace || 'default';
    const count = p.count;
    try {
      if (p.name === undefined) {
        this.seq++;
        const name = `${p.ref.name}.${(BigInt(Date.now()) * 1_000_000n + this.seq % 1_000_000n).toString(16)}`;
        await this.client.create(`/api/v1/namespaces/${namespace}/events`, {
          apiVersion: 'v1', kind: 'Event',
          metadata: { name, namespace },
          involvedObject: p.ref, reason: p.reason, message: p.message, type: p.type,
          source: { component: 'kubelet', host: p.host },
          firstTimestamp: p.first, lastTimestamp: p.last, count,
          reportingComponent: 'kubelet', reportingInstance: p.host,
        });
        p.name = name;
      } else {
        await this.client.mergePatch(`/api/v1/namespaces/${namespace}/events/${p.name}`, { count, lastTimestamp: p.last });
      }
      p.written = count;
    } catch (err) {
      // Events are best effort, as in client-go: log and drop; a later repeat writes again.
      this.log.debug('event not written', { reason: p.reason, object: `${namespace}/${p.ref.name}`, error: (err as Error).message });
      if (p.name !== undefined) p.name = undefined;
    }
  }
}

/**
 * core/v1 Events as kube-controller-manager's controllers record them (client-go tools/record):
 * source.component and reportingComponent are the controller's name (`replicaset-controller`…),
 * the name is `<object>.<hex nanoseconds>`, and a repeat of the same event about the same object
 * bumps the first one's count instead of making a new Event, as the EventCorrelator does. `event`
 * only queues; a few requests at a time write in the background, and failures are dropped (events
 * are best effort, and a controller must never wait on them).
 */
import type { ObjectMeta } from '../api/index.ts';
import type { RestClient } from '../client/rest-client.ts';
import type { Logger } from '../util/log.ts';

export type EventType = 'Normal' | 'Warning';

/** The object an event is about. */
export interface EventSubject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface EventRecorder {
  event(subject: EventSubject, type: EventType, reason: string, message: string): void;
}

/** Upstream truncates event messages to 1 KiB. */
const maxMessageLength = 1024;
const concurrency = 4;
const maxBacklog = 1000;
/** Distinct events remembered for folding repeats. */
const remembered = 4096;

interface Written { name: string; count: number }

const wireTime = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export function newEventRecorder(client: RestClient, component: string, log: Logger): EventRecorder {
  const backlog: (() => Promise<void>)[] = [];
  const seen = new Map<string, Written>();
  let inFlight = 0;
  let seq = 0n;
  const pump = (): void => {
    while (inFlight < concurrency && backlog.length > 0) {
      const send = backlog.shift()!;
      inFlight++;
      send().catch((err: unknown) => log.debug('event not recorded', { component, error: (err as Error).message }))
        .finally(() => { inFlight--; pump(); });
    }
  };
  return {
    event(subject, type, reason, rawMessage) {
      if (backlog.length >= maxBacklog) return;
      const meta = subject.metadata ?? {};
      const namespace = meta.namespace || 'default';
      const message = rawMessage.length <= maxMessageLength ? rawMessage : `${rawMessage.slice(0, maxMessageLength - 3)}...`;
      const key = [meta.uid, type, reason, message].join('\u0000');
      const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
      const now = wireTime();
      backlog.push(async () => {
        const previous = seen.get(key);
        if (previous) {
          previous.count++;
          try {
            await client.mergePatch(`${base}/${encodeURIComponent(previous.name)}`, { count: previous.count, lastTimestamp: now });
            return;
          } catch {
            seen.delete(key); // gone (expired or deleted): record it anew
          }
        }
        seq++;
        const name = `${meta.name}.${(BigInt(Date.now()) * 1_000_000n + seq % 1_000_000n).toString(16)}`;
        await client.create(base, {
          apiVersion: 'v1', kind: 'Event',
          metadata: { name, namespace },
          involvedObject: {
            apiVersion: subject.apiVersion, kind: subject.kind, namespace: meta.namespace, name: meta.name, uid: meta.uid,
            resourceVersion: meta.resourceVersion,
          },
          reason, message, type,
          source: { component },
          firstTimestamp: now, lastTimestamp: now, count: 1,
          reportingComponent: component, reportingInstance: '',
        });
        if (seen.size >= remembered) seen.clear();
        seen.set(key, { name, count: 1 });
      });
      pump();
    },
  };
}

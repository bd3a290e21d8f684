/**
 * Scheduler events (Scheduled, FailedScheduling, Preempted) as core/v1 Events, the shape
 * `kubectl describe pod` and `kubectl get events` show: source.component and reportingComponent
 * are the profile's scheduler name. Sent in the background with a bounded backlog; an event that
 * does not fit is dropped, as client-go's broadcaster drops when its queue is full.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Logger } from '../util/log.ts';
import type { SchedulerClient } from './api-client.ts';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  event(pod: Pod, type: EventType, reason: string, action: string, message: string, reportingController: string): void;
}

/** Events longer than this are cut with "..." (upstream truncateMessage). */
const maxMessageLength = 1024;
const maxInFlight = 16;
const maxBacklog = 1000;

export function truncateMessage(message: string): string {
  return message.length <= maxMessageLength ? message : `${message.slice(0, maxMessageLength - 3)}...`;
}

const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function newEventRecorder(client: SchedulerClient, log: Logger): EventRecorder {
  const backlog: (() => Promise<unknown>)[] = [];
  let inFlight = 0;
  const pump = (): void => {
    while (inFlight < maxInFlight && backlog.length > 0) {
      const send = backlog.shift()!;
      inFlight++;
      send().catch((err: unknown) => log.warn('event not recorded', { error: (err as Error).message }))
        .finally(() => { inFlight--; pump(); });
    }
  };
  const host = hostname();
  return {
    event(pod, type, reason, action, message, reportingController) {
      if (backlog.length >= maxBacklog) return;
      const ns = pod.metadata?.namespace ?? 'default';
      const ts = now();
      const body = {
        apiVersion: 'v1', kind: 'Event',
        metadata: { name: `${pod.metadata?.name}.${Date.now().toString(16)}${randomBytes(2).toString('hex')}`, namespace: ns },
        involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: pod.metadata?.name, uid: pod.metadata?.uid, resourceVersion: pod.metadata?.resourceVersion },
        reason, message: truncateMessage(message), type, action,
        source: { component: reportingController },
        firstTimestamp: ts, lastTimestamp: ts, count: 1,
        reportingComponent: reportingController, reportingInstance: `${reportingController}-${host}`,
      };
      backlog.push(() => client.request('POST', `/api/v1/namespaces/${encodeURIComponent(ns)}/events`, body));
      pump();
    },
  };
}

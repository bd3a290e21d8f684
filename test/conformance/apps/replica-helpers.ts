/**
 * What test/e2e/apps/replica_set.go and rc.go share upstream: newRS / newRC, the e2epod waits
 * PodsCreated and VerifyPodsRunning (pods found by their `name` label), and a watch read in order
 * (watchtools.Until / watchUntilWithoutRetry) for the steps that wait on watch events.
 */
import { CoreV1Api, Watch, type KubeConfig, type V1Pod, type V1ReplicaSet, type V1ReplicationController } from '@kubernetes/client-node';
import { poll } from '../framework.ts';
import { images, podStartTimeoutMs } from '../pod-helpers.ts';

/** WebserverImageName / WebserverImage upstream. */
export const webserverImageName = 'httpd';
export const webserverImage = images.httpd;

/** Upstream newRS: labels on the RS, its selector and its template. */
export function newRS(name: string, replicas: number, labels: Record<string, string>, imageName: string, image: string, args?: string[]): V1ReplicaSet {
  return {
    metadata: { name, labels },
    spec: {
      selector: { matchLabels: labels },
      replicas,
      template: { metadata: { labels }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: imageName, image, args }] } },
    },
  };
}

/** Upstream newRC: no selector (defaulted from the template's labels). */
export function newRC(name: string, replicas: number, labels: Record<string, string>, imageName: string, image: string, args?: string[]): V1ReplicationController {
  return {
    metadata: { name },
    spec: {
      replicas,
      template: { metadata: { labels }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: imageName, image, args }] } },
    },
  };
}

/** e2epod.PodsCreated: waits until exactly `replicas` pods labelled name=<name> exist (not being deleted). */
export function podsCreated(kc: KubeConfig, namespace: string, name: string, replicas: number): Promise<V1Pod[]> {
  const core = kc.makeApiClient(CoreV1Api);
  return poll(`${replicas} pods named ${name}`, async () => {
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: `name=${name}` })).items.filter((p) => !p.metadata?.deletionTimestamp);
    return pods.length === replicas ? pods : undefined;
  }, podStartTimeoutMs);
}

/** e2epod.VerifyPodsRunning: the pods exist and every one of them is Running. */
export async function verifyPodsRunning(kc: KubeConfig, namespace: string, name: string, replicas: number): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await poll(`${replicas} running pods named ${name}`, async () => {
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: `name=${name}` })).items.filter((p) => !p.metadata?.deletionTimestamp);
    return pods.length === replicas && pods.every((p) => p.status?.phase === 'Running') ? true : undefined;
  }, podStartTimeoutMs);
}

export interface WatchEvent<T> {
  type: string;
  object: T;
}

/** One watch, read in order: `until` consumes events until one satisfies the condition. */
export class WatchStream<T> {
  private readonly events: WatchEvent<T>[] = [];
  private closed: unknown = undefined;
  private wake: (() => void) | undefined;
  private controller: AbortController | undefined;

  static async open<T>(kc: KubeConfig, path: string, params: Record<string, string | undefined>): Promise<WatchStream<T>> {
    const stream = new WatchStream<T>();
    stream.controller = await new Watch(kc).watch(path, params, (type, object: T) => {
      stream.events.push({ type, object });
      stream.wake?.();
    }, (err: unknown) => {
      stream.closed = err ?? new Error('watch closed');
      stream.wake?.();
    });
    return stream;
  }

  /** Reads events until `condition` holds for one (returned); throws when the watch closes or after `timeoutMs`. */
  async until(condition: (event: WatchEvent<T>) => boolean, timeoutMs: number): Promise<WatchEvent<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = this.events.shift();
      if (event !== undefined) {
        if (condition(event)) return event;
        continue;
      }
      if (this.closed !== undefined) throw new Error(`watch closed: ${String(this.closed)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for the condition on watch events');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
      this.wake = undefined;
    }
  }

  stop(): void {
    this.controller?.abort();
  }
}

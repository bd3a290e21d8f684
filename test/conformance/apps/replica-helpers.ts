/**
 * What test/e2e/apps/replica_set.go and rc.go share upstream: newRS / newRC, the e2epod waits
 * PodsCreated and VerifyPodsRunning (pods found by their `name` label), and a watch read in order
 * (watchtools.Until / watchUntilWithoutRetry) for the steps that wait on watch events.
 */
import { CoreV1Api, type KubeConfig, type V1Pod, type V1ReplicaSet, type V1ReplicationController } from '@kubernetes/client-node';
import { poll, retryOnConflict } from '../framework.ts';
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

export { WatchStream, type WatchEvent } from '../watch-stream.ts';

/** Whether `owners` names `uid` as the controller. */
export const controlledBy = (owners: { controller?: boolean; uid: string }[] | undefined, uid: string | undefined): boolean =>
  (owners ?? []).some((o) => o.controller === true && o.uid === uid);

/**
 * The release step of the adopt/release tests: one of the owner's pods stops matching its selector
 * (label `name` changed), then the controller must let go of it.
 */
export async function releaseOnePod(kc: KubeConfig, namespace: string, owner: { name: string; uid: string | undefined },
  replicas: number, timeoutMs: number): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  // When the matched label of one of its pods change
  const pods = await podsCreated(kc, namespace, owner.name, replicas);
  const victim = pods[0]!.metadata!.name!;
  await retryOnConflict(async () => {
    const pod = await core.readNamespacedPod({ name: victim, namespace });
    pod.metadata!.labels = { name: 'not-matching-name' };
    return core.replaceNamespacedPod({ name: victim, namespace, body: pod });
  });
  // Then the pod is released
  await poll('the pod to be released', async () => {
    const p2 = await core.readNamespacedPod({ name: victim, namespace });
    return controlledBy(p2.metadata?.ownerReferences, owner.uid) ? undefined : true;
  }, timeoutMs);
}

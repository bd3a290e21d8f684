/**
 * The scheduler's few writes (pods/binding, pods/status patches, pod deletes, events): the shared
 * RestClient with a pool wide enough for bindings in flight.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { RestClient } from '../client/rest-client.ts';

export { ApiError } from '../client/rest-client.ts';

export interface SchedulerClient {
  request<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T>;
}

/** Bindings and status patches in flight at once over the pool. */
const maxSockets = 64;

export function newSchedulerClient(kubeConfig: KubeConfig): SchedulerClient {
  return new RestClient(kubeConfig, { maxSockets });
}

export const podPath = (namespace: string, name: string): string =>
  `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;

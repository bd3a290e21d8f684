/**
 * The fake-kubelet's client: the shared RestClient with a larger connection pool, because one
 * process speaks for many nodes, and the kubelet's User-Agent.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { RestClient } from '../client/rest-client.ts';

export { ApiError, isConflict, isNotFound } from '../client/rest-client.ts';

export class ApiClient extends RestClient {
  constructor(kubeConfig: KubeConfig, userAgent: string) {
    super(kubeConfig, { userAgent, maxSockets: 32 });
  }
}

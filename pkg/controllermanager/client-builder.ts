/**
 * Which credentials each controller uses (cmd/kube-controller-manager: --use-service-account-credentials,
 * which kubeadm turns on). With it, each controller talks to the apiserver as its own service account in
 * kube-system, `system:serviceaccount:kube-system:<name>`, which the bootstrap policy binds to the
 * `system:controller:<name>` role; the program's own identity (its --kubeconfig) keeps only what it needs
 * itself: the shared informers, leader election and making those accounts' tokens. Without it every
 * controller uses the program's own credentials.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { ApiError, RestClient } from '../client/rest-client.ts';

export interface ClientBuilder {
  /** The client a controller uses; `serviceAccount` is the account upstream gives that controller. */
  clientFor(serviceAccount: string): RestClient;
}

/** Every controller uses the program's own credentials. */
export function rootClientBuilder(root: RestClient): ClientBuilder {
  return { clientFor: () => root };
}

const controllerNamespace = 'kube-system';
/** Tokens last an hour and are renewed once 80% of that has passed (DynamicControllerClientBuilder). */
const expirationSeconds = 3600;
const renewAtFraction = 0.8;

interface TokenRequestStatus { status?: { token?: string; expirationTimestamp?: string } }

/**
 * A RestClient whose bearer token comes from TokenRequest for one service account: fetched before
 * the first request, renewed before it expires, and fetched again once when the server answers 401
 * (the account was deleted and recreated).
 */
class ServiceAccountRestClient extends RestClient {
  private token: { value: string; renewAt: number } | undefined;
  private pending: Promise<void> | undefined;

  constructor(private readonly root: RestClient, private readonly serviceAccount: string, kubeConfig: KubeConfig) {
    super(kubeConfig);
  }

  override async request<T = unknown>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    await this.ensureToken();
    try {
      return await super.request<T>(method, path, body, contentType);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 401)) throw err;
      this.token = undefined;
      await this.ensureToken();
      return super.request<T>(method, path, body, contentType);
    }
  }

  private ensureToken(): Promise<void> {
    if (this.token && Date.now() < this.token.renewAt) return Promise.resolve();
    this.pending ??= this.fetchToken().finally(() => { this.pending = undefined; });
    return this.pending;
  }

  private async fetchToken(): Promise<void> {
    const base = `/api/v1/namespaces/${controllerNamespace}/serviceaccounts`;
    await ensureServiceAccount(this.root, base, this.serviceAccount);
    const issuedAt = Date.now();
    const res = await this.root.request<TokenRequestStatus>('POST', `${base}/${this.serviceAccount}/token`, {
      apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds },
    });
    const value = res.status?.token;
    if (!value) throw new Error(`TokenRequest for ${controllerNamespace}/${this.serviceAccount} returned no token`);
    const expires = Date.parse(res.status?.expirationTimestamp ?? '') || issuedAt + expirationSeconds * 1000;
    this.token = { value, renewAt: issuedAt + (expires - issuedAt) * renewAtFraction };
    (this.kubeConfig.getCurrentUser() as { token?: string }).token = value;
  }
}

/** Creates the account unless it exists; another controller-manager creating it first is fine. */
async function ensureServiceAccount(root: RestClient, base: string, name: string): Promise<void> {
  try {
    await root.request('GET', `${base}/${name}`);
    return;
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 404)) throw err;
  }
  try {
    await root.request('POST', base, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: controllerNamespace } });
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 409)) throw err;
  }
}

export function serviceAccountClientBuilder(root: RestClient): ClientBuilder {
  const clients = new Map<string, RestClient>();
  return {
    clientFor(serviceAccount) {
      let client = clients.get(serviceAccount);
      if (!client) {
        const kc = new KubeConfig();
        const cluster = root.kubeConfig.getCurrentCluster();
        if (!cluster) throw new Error('kubeconfig has no current cluster');
        const user = `system:serviceaccount:${controllerNamespace}:${serviceAccount}`;
        kc.loadFromOptions({
          clusters: [cluster], users: [{ name: user, token: '' }],
          contexts: [{ name: user, cluster: cluster.name, user }], currentContext: user,
        });
        client = new ServiceAccountRestClient(root, serviceAccount, kc);
        clients.set(serviceAccount, client);
      }
      return client;
    },
  };
}

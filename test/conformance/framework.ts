/**
 * The conformance tier's framework, shaped like upstream's e2e framework
 * (kubernetes/kubernetes test/e2e/framework/framework.go, NewDefaultFramework): one cluster per
 * test file (apiserver + controller-manager), and for every test a fresh namespace named
 * `<baseName>-<random>` whose `default` ServiceAccount exists before the test body runs; the
 * namespace is deleted after the test without waiting, as upstream's AfterEach does.
 *
 * Test names are the `testname` of ../shared/conformance/conformance.yaml, byte for byte: the
 * ledger (hack/conformance-ledger.ts) matches them against ownership.tsv.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { CoreV1Api, type KubeConfig, type V1Namespace } from '@kubernetes/client-node';
import { startTestCluster, type ClusterComponent, type TestCluster } from '../../pkg/testenv/index.ts';
import { Kubectl, kubectlBinaries } from '../helpers/kubectl.ts';

export interface FrameworkOptions {
  /** Programs besides the apiserver (default: the controller-manager, which creates `default` ServiceAccounts). */
  components?: readonly ClusterComponent[];
  /** Skip the per-test namespace (tests of cluster-scoped APIs that never use one). */
  skipNamespaceCreation?: boolean;
}

/** What a conformance test uses; fields are valid inside tests (set by beforeAll/beforeEach). */
export interface Framework {
  readonly baseName: string;
  /** The running cluster (kubeconfig path, state directory, log tails). */
  readonly cluster: TestCluster;
  /** Admin client configuration for @kubernetes/client-node (`kc.makeApiClient(CoreV1Api)`…). */
  readonly kc: KubeConfig;
  /** The test's own namespace (empty when skipNamespaceCreation). */
  readonly namespace: string;
  /** The real kubectl (the dispatcher on PATH, which picks the client matching /version). */
  readonly kubectl: Kubectl;
  /** Creates another namespace `<baseName>-<random>` (deleted after the test) and waits for its default ServiceAccount. */
  createNamespace(labels?: Record<string, string>): Promise<V1Namespace>;
}

const defaultSaTimeoutMs = 30_000;

/** Polls `check` every 100 ms until it returns a value other than undefined; throws after `timeoutMs`. */
export async function poll<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** utilrand.String(n): lower-case letters and digits without vowels, as upstream's names use. */
export function randomString(n: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** retry.RetryOnConflict(retry.DefaultRetry, fn): up to 5 attempts while the server answers 409 Conflict. */
export async function retryOnConflict<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { code?: number }).code !== 409 || attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}

/** Registers the framework's hooks in the calling test file and returns its handle. */
export function newFramework(baseName: string, options: FrameworkOptions = {}): Framework {
  let cluster: TestCluster | undefined;
  let kc: KubeConfig | undefined;
  let kubectl: Kubectl | undefined;
  let namespace = '';
  const created: string[] = [];

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`framework ${baseName}: ${what} is only available inside a test`);
    return value;
  };

  async function createNamespace(labels: Record<string, string> = {}): Promise<V1Namespace> {
    const core = need(kc, 'kc').makeApiClient(CoreV1Api);
    const name = `${baseName}-${randomBytes(3).toString('hex').slice(0, 5)}`;
    // Upstream labels every test namespace with e2e-framework and e2e-run.
    const ns = await core.createNamespace({ body: { metadata: { name, labels: { 'e2e-framework': baseName, ...labels } } } });
    created.push(name);
    await poll(`ServiceAccount default in ${name}`, async () => {
      const list = await core.listNamespacedServiceAccount({ namespace: name, fieldSelector: 'metadata.name=default' });
      return list.items.length > 0 ? true : undefined;
    }, defaultSaTimeoutMs);
    return ns;
  }

  beforeAll(async () => {
    cluster = await startTestCluster({
      name: `conformance-${baseName}`,
      components: options.components ?? ['kube-controller-manager'],
    });
    kc = cluster.kubeConfig;
    kubectl = new Kubectl(cluster, kubectlBinaries([])[0]!);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  beforeEach(async () => {
    namespace = '';
    if (options.skipNamespaceCreation === true) return;
    namespace = (await createNamespace()).metadata!.name!;
  });

  afterEach(async () => {
    const core = kc?.makeApiClient(CoreV1Api);
    for (const name of created.splice(0)) {
      // Not waited for, as upstream; a namespace a test already deleted is fine.
      await core?.deleteNamespace({ name }).catch((err: unknown) => {
        if ((err as { code?: number }).code !== 404) throw err;
      });
    }
  });

  return {
    baseName,
    get cluster() { return need(cluster, 'cluster'); },
    get kc() { return need(kc, 'kc'); },
    get kubectl() { return need(kubectl, 'kubectl'); },
    get namespace() { return namespace; },
    createNamespace,
  };
}

/**
 * How a program names itself to the apiserver, in client-go's shape (rest.DefaultKubernetesUserAgent,
 * staging/src/k8s.io/client-go/rest/config.go): `<program>/<gitVersion> (<os>/<arch>) kubernetes/<commit7>`.
 */
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

/** Go's GOARCH names for Node's process.arch values. */
const goArch: Readonly<Record<string, string>> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

/** e.g. `kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/70d3cc9`. */
export function buildUserAgent(program: string, version: { gitVersion: string; gitCommit: string }): string {
  const arch = goArch[process.arch] ?? process.arch;
  const commit = version.gitCommit ? version.gitCommit.slice(0, 7) : 'unknown';
  return `${program}/${version.gitVersion} (${process.platform}/${arch}) kubernetes/${commit}`;
}

/** A KubeConfig that adds a User-Agent header to every request it prepares. */
class UserAgentKubeConfig extends KubeConfig {
  constructor(private readonly userAgent: string) {
    super();
  }

  override async applyToHTTPSOptions(opts: Parameters<KubeConfig['applyToHTTPSOptions']>[0]): Promise<void> {
    await super.applyToHTTPSOptions(opts);
    (opts as https.RequestOptions).headers = { ...(opts as https.RequestOptions).headers, 'User-Agent': this.userAgent };
  }
}

/**
 * A copy of `kubeConfig` whose prepared requests (RestClient, client-node's Watch) send
 * `userAgent`. The original is not changed.
 */
export function withUserAgent(kubeConfig: KubeConfig, userAgent: string): KubeConfig {
  const copy = new UserAgentKubeConfig(userAgent);
  copy.loadFromOptions({
    clusters: kubeConfig.clusters,
    users: kubeConfig.users,
    contexts: kubeConfig.contexts,
    currentContext: kubeConfig.currentContext,
  });
  return copy;
}

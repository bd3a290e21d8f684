import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { dump } from 'js-yaml';

/** Everything a self-contained admin kubeconfig needs; PEM text, not paths. */
export interface KubeconfigInput {
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** Default `kube-ts`: also the cluster name. */
  contextName?: string;
  /** Default `kubernetes-admin`, the client certificate's CN. */
  userName?: string;
}

const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');

/**
 * Renders a kubeconfig with the CA and client credentials embedded as
 * *-data fields, so it keeps working when copied elsewhere. Pure.
 */
export function renderKubeconfig(input: KubeconfigInput): string {
  const context = input.contextName ?? 'kube-ts';
  const user = input.userName ?? 'kubernetes-admin';
  return dump(
    {
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: [{ name: context, cluster: { server: input.server, 'certificate-authority-data': b64(input.caPem) } }],
      users: [
        {
          name: user,
          user: { 'client-certificate-data': b64(input.clientCertPem), 'client-key-data': b64(input.clientKeyPem) },
        },
      ],
      contexts: [{ name: context, context: { cluster: context, user } }],
      'current-context': context,
    },
    { lineWidth: -1 },
  );
}

/** Writes the kubeconfig atomically with mode 0600 (it holds a private key). */
export function writeKubeconfig(path: string, input: KubeconfigInput): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, renderKubeconfig(input), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

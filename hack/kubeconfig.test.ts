import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { renderKubeconfig } from './kubeconfig.ts';

const input = {
  server: 'https://127.0.0.1:6443',
  caPem: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
  clientCertPem: '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n',
  clientKeyPem: '-----BEGIN RSA PRIVATE KEY-----\nKEY\n-----END RSA PRIVATE KEY-----\n',
};
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('renderKubeconfig', () => {
  it('embeds the CA and client credentials under the kube-ts context', () => {
    expect(load(renderKubeconfig(input))).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: [{ name: 'kube-ts', cluster: { server: input.server, 'certificate-authority-data': b64(input.caPem) } }],
      users: [
        {
          name: 'kubernetes-admin',
          user: { 'client-certificate-data': b64(input.clientCertPem), 'client-key-data': b64(input.clientKeyPem) },
        },
      ],
      contexts: [{ name: 'kube-ts', context: { cluster: 'kube-ts', user: 'kubernetes-admin' } }],
      'current-context': 'kube-ts',
    });
  });

  it('is read by kubectl as a complete config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-ts-kubeconfig-'));
    try {
      const file = join(dir, 'kubeconfig');
      writeFileSync(file, renderKubeconfig({ ...input, contextName: 'other' }));
      const view = JSON.parse(
        execFileSync('kubectl', ['config', 'view', '--raw', '--minify', '-o', 'json', `--kubeconfig=${file}`], {
          encoding: 'utf8',
        }),
      ) as { 'current-context': string; clusters: { cluster: { server: string } }[]; users: { name: string }[] };
      expect(view['current-context']).toBe('other');
      expect(view.clusters[0]?.cluster.server).toBe(input.server);
      expect(view.users[0]?.name).toBe('kubernetes-admin');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never wraps the long base64 lines', () => {
    const long = { ...input, caPem: 'x'.repeat(4000) };
    const line = renderKubeconfig(long).split('\n').find((l) => l.includes('certificate-authority-data'));
    expect(line).toContain(b64('x'.repeat(4000)));
  });
});

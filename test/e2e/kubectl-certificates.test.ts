/**
 * The CSR workflow of the Kubernetes docs ("Issue a certificate for a user") with real kubectl:
 * openssl makes a key and request for CN=jane, `kubectl apply` submits it, `kubectl certificate
 * approve` approves it, the controller-manager's csrsigning controller issues it from the cluster
 * CA, and a kubeconfig with that certificate is jane to the apiserver (`kubectl auth whoami`).
 * Also: the printed columns, deny, and CertificateSubjectRestriction refusing system:masters.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKubeconfig } from '../../hack/kubeconfig.ts';
import { startTestCluster, type TestCluster } from '../../pkg/testenv/index.ts';
import { Kubectl, kubectlBinaries, tableRecords, type KubectlTarget } from '../helpers/kubectl.ts';

let cluster: TestCluster;
let dir: string;

beforeAll(async () => {
  cluster = await startTestCluster({ name: 'e2e-certificates', components: ['kube-controller-manager'] });
  dir = join(cluster.dir, 'csr');
  mkdirSync(dir, { recursive: true });
});

afterAll(async () => {
  await cluster?.stop();
});

/** An RSA key and a PEM request for `subject` ("/CN=jane/O=dev"), made by openssl as the docs do. */
function opensslRequest(name: string, subject: string): { key: string; csr: string } {
  const keyPath = join(dir, `${name}.key`);
  const csrPath = join(dir, `${name}.csr`);
  execFileSync('openssl', ['genrsa', '-out', keyPath, '2048'], { stdio: 'ignore' });
  execFileSync('openssl', ['req', '-new', '-key', keyPath, '-out', csrPath, '-subj', subject], { stdio: 'ignore' });
  return { key: readFileSync(keyPath, 'utf8'), csr: readFileSync(csrPath, 'utf8') };
}

function csrManifest(name: string, csrPem: string, signerName = 'kubernetes.io/kube-apiserver-client'): string {
  return JSON.stringify({
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
    spec: { request: Buffer.from(csrPem).toString('base64'), signerName, expirationSeconds: 86400, usages: ['client auth'] },
  });
}

async function waitForCertificate(k: Kubectl, name: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const b64 = (await k.ok(['get', 'csr', name, '-o', 'jsonpath={.status.certificate}'])).trim();
    if (b64) return Buffer.from(b64, 'base64').toString('utf8');
    if (Date.now() > deadline) throw new Error(`no certificate issued for ${name}: ${cluster.logTail(30)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function whoamiTable(out: string): Record<string, string> {
  return Object.fromEntries(tableRecords(out).map((r) => [r.ATTRIBUTE!, r.VALUE!]));
}

describe.each(kubectlBinaries(['1.27', '1.33']))('$label', (binary) => {
  let k: Kubectl;
  const suffix = binary.label.replace(/\W/g, '-');

  beforeAll(() => {
    k = new Kubectl(cluster, binary);
  });

  it('issues a client certificate for jane that authenticates as jane', async () => {
    const name = `jane-${suffix}`;
    const { key, csr } = opensslRequest(name, '/CN=jane/O=dev');
    expect((await k.ok(['apply', '-f', '-'], { input: csrManifest(name, csr) })).trim())
      .toBe(`certificatesigningrequest.certificates.k8s.io/${name} created`);

    const pending = tableRecords(await k.ok(['get', 'csr', name]));
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({
      NAME: name, SIGNERNAME: 'kubernetes.io/kube-apiserver-client', REQUESTOR: 'kubernetes-admin',
      REQUESTEDDURATION: '24h', CONDITION: 'Pending',
    });

    expect((await k.ok(['certificate', 'approve', name])).trim())
      .toBe(`certificatesigningrequest.certificates.k8s.io/${name} approved`);
    const certPem = await waitForCertificate(k, name);
    expect(tableRecords(await k.ok(['get', 'csr', name]))[0]).toMatchObject({ CONDITION: 'Approved,Issued' });

    // Issued by the cluster CA, for the requested subject and lifetime (plus the 5 minute backdate).
    const cert = new X509Certificate(certPem);
    expect(cert.verify(new X509Certificate(cluster.tls.ca).publicKey)).toBe(true);
    expect(cert.subject.split('\n').sort()).toEqual(['CN=jane', 'O=dev']);
    expect(Date.parse(cert.validTo) - Date.parse(cert.validFrom)).toBe(86400_000);

    const kubeconfig = join(dir, `${name}.kubeconfig`);
    writeKubeconfig(kubeconfig, { server: cluster.apiserverUrl, caPem: cluster.tls.ca, clientCertPem: certPem, clientKeyPem: key });
    const target: KubectlTarget = { dir: cluster.dir, kubeconfig, logTail: (n) => cluster.logTail(n) };
    const asJane = new Kubectl(target, { label: `${binary.label}-jane`, path: binary.path });
    expect(whoamiTable(await asJane.ok(['auth', 'whoami']))).toEqual({ Username: 'jane', Groups: '[dev system:authenticated]' });
    expect((await asJane.fails(['get', 'pods', '-n', 'default'])).trim()).toBe(
      'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"');
  });

  it('deny marks the request Denied and nothing is issued', async () => {
    const name = `denied-${suffix}`;
    await k.ok(['apply', '-f', '-'], { input: csrManifest(name, opensslRequest(name, '/CN=bob').csr) });
    expect((await k.ok(['certificate', 'deny', name])).trim()).toBe(`certificatesigningrequest.certificates.k8s.io/${name} denied`);
    const csr = JSON.parse(await k.ok(['get', 'csr', name, '-o', 'json'])) as { status: { conditions: { type: string; reason: string }[]; certificate?: string } };
    expect(csr.status.conditions.map((c) => [c.type, c.reason])).toEqual([['Denied', 'KubectlDeny']]);
    expect(tableRecords(await k.ok(['get', 'csr', name]))[0]).toMatchObject({ CONDITION: 'Denied' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(JSON.parse(await k.ok(['get', 'csr', name, '-o', 'json'])).status.certificate).toBeUndefined();
  });

  it('refuses a kube-apiserver-client request for system:masters', async () => {
    const name = `masters-${suffix}`;
    const err = await k.fails(['create', '-f', '-'], { input: csrManifest(name, opensslRequest(name, '/CN=root/O=system:masters').csr) });
    expect(err.trim()).toBe(`Error from server (Forbidden): error when creating "STDIN": certificatesigningrequests.certificates.k8s.io "${name}" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed`);
    expect((await k.fails(['get', 'csr', name])).trim())
      .toBe(`Error from server (NotFound): certificatesigningrequests.certificates.k8s.io "${name}" not found`);
  });
});

describe('csrsigning policy', () => {
  it('marks an approved kubelet-serving request that names no node Failed, issuing nothing', async () => {
    const k = new Kubectl(cluster, kubectlBinaries([])[0]!);
    const name = 'not-a-node';
    const manifest = JSON.parse(csrManifest(name, opensslRequest(name, '/CN=web/O=system:nodes').csr, 'kubernetes.io/kubelet-serving'));
    manifest.spec.usages = ['digital signature', 'key encipherment', 'server auth'];
    await k.ok(['create', '-f', '-'], { input: JSON.stringify(manifest) });
    await k.ok(['certificate', 'approve', name]);
    const deadline = Date.now() + 30_000;
    let csr: { status: { conditions?: { type: string; status: string; reason?: string; message?: string }[]; certificate?: string } };
    for (;;) {
      csr = JSON.parse(await k.ok(['get', 'csr', name, '-o', 'json']));
      if (csr.status.conditions?.some((c) => c.type === 'Failed')) break;
      if (Date.now() > deadline) throw new Error(`no Failed condition: ${JSON.stringify(csr)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(csr.status.conditions!.find((c) => c.type === 'Failed')).toMatchObject({
      status: 'True', reason: 'SignerValidationFailure', message: 'DNS or IP subjectAltName is required',
    });
    expect(csr.status.certificate).toBeUndefined();
    expect(tableRecords(await k.ok(['get', 'csr', name]))[0]).toMatchObject({ CONDITION: 'Approved,Failed' });
  });
});

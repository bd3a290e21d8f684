/**
 * Conformance: kubernetes/kubernetes test/e2e/kubectl/kubectl.go ("[sig-cli] Kubectl client"),
 * the rows that need no running containers: api-versions, cluster-info, version, run pod, and
 * kubectl proxy on port 0 and on a unix socket. Each step runs the real kubectl, as upstream does.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoreV1Api, type V1Container } from '@kubernetes/client-node';
import { newFramework } from '../framework.ts';

const f = newFramework('kubectl');

// imageutils.GetE2EImage(imageutils.Httpd) upstream.
const httpdImage = 'registry.k8s.io/e2e-test-images/httpd:2.4.38-4';
// podRunningTimeoutArg upstream: --pod-running-timeout=<framework.PodStartShortTimeout>.
const podRunningTimeoutArg = '--pod-running-timeout=2m0s';
const proxyRegexp = /Starting to serve on 127\.0\.0\.1:([0-9]+)/;

/** Upstream checkContainersImage: true when the pod does NOT have exactly one container with the image. */
function checkContainersImage(containers: V1Container[] | undefined, expectImage: string): boolean {
  return containers === undefined || containers.length !== 1 || containers[0]?.image !== expectImage;
}

/** metav1.APIVersions, as upstream's getAPIVersions decodes /api. */
interface APIVersions {
  kind?: string;
  versions?: string[];
}

/** GET over HTTP (optionally through a unix socket), the body as text; rejects on transport errors. */
function httpGet(url: string, socketPath?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', ...(socketPath === undefined ? {} : { socketPath }) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${url}: timed out`)));
    req.on('error', reject);
    req.end();
  });
}

describe('[sig-cli] Kubectl client', () => {
  describe('Kubectl api-versions', () => {
    it('Kubectl, check version v1', async () => {
      // validating api versions
      const output = await f.kubectl.ok(['api-versions']);
      expect(output, 'No v1 in kubectl api-versions').toContain('v1');
    });
  });

  describe('Kubectl cluster-info', () => {
    it('Kubectl, cluster info', async () => {
      // validating cluster-info
      const output = await f.kubectl.ok(['cluster-info']);
      // Can't check exact strings due to terminal control commands (colors).
      for (const item of ['Kubernetes control plane', 'is running at']) {
        expect(output, `Missing ${item} in kubectl cluster-info`).toContain(item);
      }
    });
  });

  describe('Kubectl version', () => {
    it('Kubectl, version', async () => {
      const versionString = await f.kubectl.ok(['version']);
      for (const item of ['Client Version: ', 'Server Version: ']) {
        // prior to 1.28 kubectl printed the long version.Info form
        const oldMatched = new RegExp(`${item}version\\.Info\\{Major:"\\d", Minor:"\\d+\\+?", GitVersion:"v\\d\\.\\d+\\.[\\d\\w\\-\\.\\+]+", GitCommit:"[0-9a-f]+"`).test(versionString);
        // 1.28+ prints the short form
        const newMatched = new RegExp(`${item}v\\d\\.\\d+\\.[\\d\\w\\-\\.\\+]+`).test(versionString);
        expect(oldMatched || newMatched, `Item ${item} value is not valid in ${versionString}`).toBe(true);
      }
    });
  });

  describe('Kubectl run pod', () => {
    it('Kubectl, run pod', async () => {
      const podName = 'e2e-test-httpd-pod';
      const core = f.kc.makeApiClient(CoreV1Api);
      // running the image
      await f.kubectl.ok(['run', podName, '--restart=Never', podRunningTimeoutArg, `--image=${httpdImage}`, '-n', f.namespace]);
      try {
        // verifying the pod was created
        const pod = await core.readNamespacedPod({ name: podName, namespace: f.namespace });
        expect(checkContainersImage(pod.spec?.containers, httpdImage),
          `Failed creating pod ${podName} with expected image ${httpdImage}: ${JSON.stringify(pod.spec?.containers)}`).toBe(false);
        expect(pod.spec?.restartPolicy, 'Failed creating a pod with correct restart policy for --restart=Never').toBe('Never');
      } finally {
        // upstream AfterEach
        await f.kubectl.ok(['delete', 'pods', podName, '-n', f.namespace]);
      }
    });
  });

  describe('Proxy server', () => {
    it('Kubectl, proxy port zero', async () => {
      // starting the proxy server (port 0: the OS picks a port; it listens on 127.0.0.1)
      const proxy = f.kubectl.spawn(['proxy', '-p', '0', '--disable-filter', '-n', f.namespace]);
      try {
        await proxy.waitFor((out) => proxyRegexp.test(out), 'kubectl proxy to report its port');
        const port = Number(proxyRegexp.exec(proxy.stdout)?.[1]);
        expect(port, `Failed to parse port from proxy stdout: ${proxy.stdout}`).toBeGreaterThan(0);

        // curling proxy /api/ output
        const res = await httpGet(`http://127.0.0.1:${port}/api/`);
        let apiVersions: APIVersions;
        try {
          apiVersions = JSON.parse(res.body) as APIVersions;
        } catch (err) {
          throw new Error(`Failed to parse /api output ${res.body}: ${String(err)}`);
        }
        expect(apiVersions.versions?.length ?? 0, `Expected at least one supported apiversion, got ${res.body}`).toBeGreaterThanOrEqual(1);
      } finally {
        await proxy.stop();
      }
    });

    it('Kubectl, proxy socket', async () => {
      // Starting the proxy
      const dir = mkdtempSync(join(tmpdir(), 'kubectl-proxy-unix'));
      const path = join(dir, 'test');
      const proxy = f.kubectl.spawn(['proxy', `--unix-socket=${path}`, '-n', f.namespace]);
      try {
        // upstream reads kubectl's first output before using the socket
        await proxy.waitFor((out) => out.length > 0, 'output from kubectl proxy');

        // retrieving proxy /api/ output: upstream only requires that the GET through the socket
        // gets an answer (kubectl's request filter answers 403 to the host name "unused").
        await expect(httpGet('http://unused/api', path), `Failed get of /api at ${path}`).resolves.toMatchObject({ status: expect.any(Number) });

        // The description's MUST (at least one version string), with a host name the filter accepts.
        const res = await httpGet('http://localhost/api', path);
        expect(res.status, `GET /api through ${path}: ${res.body}`).toBe(200);
        const apiVersions = JSON.parse(res.body) as APIVersions;
        expect(apiVersions.versions?.length ?? 0, `Expected at least one supported apiversion, got ${res.body}`).toBeGreaterThanOrEqual(1);
      } finally {
        await proxy.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

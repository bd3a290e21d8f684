/**
 * Conformance: kubernetes/kubernetes test/e2e/kubectl/kubectl.go ("[sig-cli] Kubectl client"), the
 * rows that need running pods: describe (of an RC's pod, the RC, its Service, a node, the
 * namespace), label, and replace. Each step runs the real kubectl, as upstream does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreV1Api, type V1Container, type V1Pod } from '@kubernetes/client-node';
import { newFramework, poll } from '../framework.ts';
import { images, podComponents, podStartTimeoutMs, podRunningReady, waitForPodReady } from '../pod-helpers.ts';

const f = newFramework('kubectl', { components: podComponents });

// podRunningTimeoutArg upstream: --pod-running-timeout=<framework.PodStartShortTimeout>.
const podRunningTimeoutArg = '--pod-running-timeout=2m0s';

/** test/e2e/testing-manifests/kubectl/pause-pod.yaml.in */
const pausePodName = 'pause';
const pausePodSelector = 'name=pause';
const pausePodYaml = `apiVersion: v1
kind: Pod
metadata:
  name: pause
  labels:
    name: pause
spec:
  containers:
  - name: pause
    image: ${images.pause}
`;

/** test/e2e/testing-manifests/kubectl/agnhost-primary-controller.json.in */
const agnhostControllerJSON = JSON.stringify({
  kind: 'ReplicationController', apiVersion: 'v1',
  metadata: { name: 'agnhost-primary', labels: { app: 'agnhost', role: 'primary' } },
  spec: {
    replicas: 1,
    selector: { app: 'agnhost', role: 'primary' },
    template: {
      metadata: { labels: { app: 'agnhost', role: 'primary' } },
      spec: {
        containers: [{
          name: 'agnhost-primary', image: images.agnhost, env: [{ name: 'PRIMARY', value: 'true' }],
          ports: [{ name: 'agnhost-server', containerPort: 6379 }],
        }],
      },
    },
  },
});

/** test/e2e/testing-manifests/kubectl/agnhost-primary-service.json */
const agnhostServiceJSON = JSON.stringify({
  kind: 'Service', apiVersion: 'v1',
  metadata: { name: 'agnhost-primary', labels: { app: 'agnhost', role: 'primary' } },
  spec: { ports: [{ port: 6379, targetPort: 'agnhost-server' }], selector: { app: 'agnhost', role: 'primary' } },
});

/** Upstream checkContainersImage: true when the pod does NOT have exactly one container with the image. */
function checkContainersImage(containers: V1Container[] | undefined, expectImage: string): boolean {
  return containers === undefined || containers.length !== 1 || containers[0]?.image !== expectImage;
}

/**
 * Upstream checkOutput: the requirements appear in order, each on one line: its first string picks
 * the next line containing it (searching on from the previous requirement's line), and the other
 * strings must be on that same line.
 */
function checkOutput(output: string, required: string[][]): void {
  const lines = output.split('\n');
  let current = 0;
  for (const [first, ...others] of required) {
    while (current < lines.length && !lines[current]!.includes(first!)) current++;
    if (current === lines.length) throw new Error(`failed to find ${first} in ${output}`);
    for (const item of others) {
      if (!lines[current]!.includes(item)) throw new Error(`failed to find ${item} in ${lines[current]}`);
    }
  }
}

/** Upstream cleanupKubectlInputs: force-delete what the manifest made, then assertCleanup. */
async function cleanupKubectlInputs(fileContents: string, ns: string, ...selectors: string[]): Promise<void> {
  // using delete to clean up resources
  await f.kubectl.ok(['delete', '--grace-period=0', '--force', '-f', '-', '-n', ns], { input: fileContents, timeoutMs: 90_000 });
  await poll('no resources left after stop', async () => {
    for (const selector of selectors) {
      const resources = await f.kubectl.ok(['get', 'rc,svc', '-l', selector, '--no-headers', '-n', ns]);
      if (resources.trim() !== '') return undefined;
      const pods = await f.kubectl.ok(['get', 'pods', '-l', selector, '-n', ns, '-o',
        'go-template={{ range .items }}{{ if not .metadata.deletionTimestamp }}{{ .metadata.name }}{{ "\\n" }}{{ end }}{{ end }}']);
      if (pods.trim() !== '') return undefined;
    }
    return true;
  }, 60_000);
}

describe('[sig-cli] Kubectl client', () => {
  describe('Kubectl describe', () => {
    it('Kubectl, describe pod or rc', async () => {
      const ns = f.namespace;
      await f.kubectl.ok(['create', '-f', '-', '-n', ns], { input: agnhostControllerJSON });
      await f.kubectl.ok(['create', '-f', '-', '-n', ns], { input: agnhostServiceJSON });

      // Waiting for Agnhost primary to start: the RC's pod, which only its controller creates.
      await describeChecks(ns);
    });
  });

  describe('Kubectl label', () => {
    beforeEach(async () => {
      // creating the pod
      await f.kubectl.ok(['create', '-f', '-', '-n', f.namespace], { input: pausePodYaml });
      await waitForPodReady(f.kc, f.namespace, pausePodName, podStartTimeoutMs);
    });
    afterEach(async () => {
      await cleanupKubectlInputs(pausePodYaml, f.namespace, pausePodSelector);
    });

    it('Kubectl, label update', async () => {
      const ns = f.namespace;
      const labelName = 'testing-label';
      const labelValue = 'testing-label-value';

      // adding the label testing-label with value testing-label-value to a pod
      await f.kubectl.ok(['label', 'pods', pausePodName, `${labelName}=${labelValue}`, '-n', ns]);
      // verifying the pod has the label testing-label with the value testing-label-value
      let output = await f.kubectl.ok(['get', 'pod', pausePodName, '-L', labelName, '-n', ns]);
      expect(output, `Failed updating label ${labelName} to the pod ${pausePodName}`).toContain(labelValue);

      // removing the label testing-label of a pod
      await f.kubectl.ok(['label', 'pods', pausePodName, `${labelName}-`, '-n', ns]);
      // verifying the pod doesn't have the label testing-label
      output = await f.kubectl.ok(['get', 'pod', pausePodName, '-L', labelName, '-n', ns]);
      expect(output, `Failed removing label ${labelName} of the pod ${pausePodName}`).not.toContain(labelValue);
    });
  });

  describe('Kubectl replace', () => {
    const podName = 'e2e-test-httpd-pod';

    afterEach(async () => {
      await f.kubectl.ok(['delete', 'pods', podName, '-n', f.namespace], { timeoutMs: 90_000 });
    });

    it('Kubectl, replace', async () => {
      const ns = f.namespace;
      // running the image
      await f.kubectl.ok(['run', podName, `--image=${images.httpd}`, podRunningTimeoutArg, `--labels=run=${podName}`, '-n', ns]);

      // verifying the pod is running (testutils.WaitForPodsWithLabelRunning)
      await poll(`pods labelled run=${podName} running`, async () => {
        const list = await f.kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: ns, labelSelector: `run=${podName}` });
        return list.items.length > 0 && list.items.every((p) => p.status?.phase === 'Running') ? true : undefined;
      }, podStartTimeoutMs);

      // verifying the pod was created
      let podJSON = await f.kubectl.ok(['get', 'pod', podName, '-o', 'json', '-n', ns]);
      expect(podJSON, `Failed to find pod ${podName}`).toContain(podName);

      // replace the image in the pod
      podJSON = podJSON.replace(images.httpd, images.busyBox);
      await f.kubectl.ok(['replace', '-f', '-', '-n', ns], { input: podJSON });

      // verifying the pod has the right image
      const pod = await f.kc.makeApiClient(CoreV1Api).readNamespacedPod({ name: podName, namespace: ns });
      expect(checkContainersImage(pod.spec?.containers, images.busyBox), `Failed creating pod with expected image ${images.busyBox}`).toBe(false);
    });
  });
});

/** The describe half of "Kubectl, describe pod or rc", once the RC's pod runs. */
async function describeChecks(ns: string): Promise<void> {
  const core = f.kc.makeApiClient(CoreV1Api);
  // waitForOrFailWithDebug(1): one running pod labelled app=agnhost
  const pods = await poll('the agnhost-primary pod running and ready', async () => {
    const list = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=agnhost' });
    return list.items.length === 1 && list.items.every((p: V1Pod) => podRunningReady(p)) ? list.items : undefined;
  }, podStartTimeoutMs);

  // Pod
  for (const pod of pods) {
    const output = await f.kubectl.ok(['describe', 'pod', pod.metadata!.name!, '-n', ns]);
    checkOutput(output, [
      ['Name:', 'agnhost-primary-'], ['Namespace:', ns], ['Node:'], ['Labels:', 'app=agnhost'], ['role=primary'],
      ['Annotations:'], ['Status:', 'Running'], ['IP:'], ['Controlled By:', 'ReplicationController/agnhost-primary'],
      ['Image:', images.agnhost], ['State:', 'Running'], ['QoS Class:', 'BestEffort'],
    ]);
  }

  // Rc (checkKubectlOutputWithRetry)
  await poll('kubectl describe rc to show the running replica', async () => {
    const output = await f.kubectl.ok(['describe', 'rc', 'agnhost-primary', '-n', ns]);
    try {
      checkOutput(output, [
        ['Name:', 'agnhost-primary'], ['Namespace:', ns], ['Selector:', 'app=agnhost,role=primary'], ['Labels:', 'app=agnhost'],
        ['role=primary'], ['Annotations:'], ['Replicas:', '1 current', '1 desired'],
        ['Pods Status:', '1 Running', '0 Waiting', '0 Succeeded', '0 Failed'], ['Pod Template:'], ['Image:', images.agnhost], ['Events:'],
      ]);
      return true;
    } catch {
      return undefined;
    }
  }, 60_000);

  // Service
  let output = await f.kubectl.ok(['describe', 'service', 'agnhost-primary', '-n', ns]);
  checkOutput(output, [
    ['Name:', 'agnhost-primary'], ['Namespace:', ns], ['Labels:', 'app=agnhost'], ['role=primary'], ['Annotations:'],
    ['Selector:', 'app=agnhost', 'role=primary'], ['Type:', 'ClusterIP'], ['IP:'], ['Port:', '<unset>', '6379/TCP'],
    ['Endpoints:'], ['Session Affinity:', 'None'],
  ]);

  // Node: it should be OK to list unschedulable Nodes here.
  const node = (await core.listNode()).items[0]!;
  output = await f.kubectl.ok(['describe', 'node', node.metadata!.name!]);
  checkOutput(output, [
    ['Name:', node.metadata!.name!], ['Labels:'], ['Annotations:'], ['CreationTimestamp:'], ['Conditions:'],
    ['Type', 'Status', 'LastHeartbeatTime', 'LastTransitionTime', 'Reason', 'Message'], ['Addresses:'], ['Capacity:'],
    ['Version:'], ['Kernel Version:'], ['OS Image:'], ['Container Runtime Version:'], ['Kubelet Version:'],
    ['Kube-Proxy Version:'], ['Pods:'],
  ]);

  // Namespace
  output = await f.kubectl.ok(['describe', 'namespace', ns]);
  checkOutput(output, [['Name:', ns], ['Labels:'], ['Annotations:'], ['Status:', 'Active']]);
}

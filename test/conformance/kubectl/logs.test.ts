/**
 * Conformance: kubernetes/kubernetes test/e2e/kubectl/logs.go ("[sig-cli] Kubectl logs"): kubectl
 * logs with --tail, --limit-bytes, --timestamps and --since against agnhost's logs-generator
 * (100 lines over 20 s), run by the real kubectl as upstream does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { newFramework, poll } from '../framework.ts';
import { images, podComponents, podLogs, podRunningReady, podStartTimeoutMs } from '../pod-helpers.ts';

const f = newFramework('kubectl-logs', { components: podComponents });

// podRunningTimeoutArg upstream: --pod-running-timeout=<framework.PodStartShortTimeout>.
const podRunningTimeoutArg = '--pod-running-timeout=2m0s';

/** Split("something\n", "\n") returns ["something", ""], so strip the trailing newline first. */
const lines = (out: string): string[] => out.replace(/\n+$/, '').split('\n');

describe('[sig-cli] Kubectl logs', () => {
  describe('logs', () => {
    const podName = 'logs-generator';
    const containerName = 'logs-generator';

    beforeEach(async () => {
      // creating an pod: agnhost generates logs for a total of 100 lines over 20s.
      await f.kubectl.ok(['run', podName, `--image=${images.agnhost}`, '--restart=Never', podRunningTimeoutArg, '-n', f.namespace,
        '--', 'logs-generator', '--log-lines-total', '100', '--run-duration', '20s']);
    });
    afterEach(async () => {
      await f.kubectl.ok(['delete', 'pod', podName, '-n', f.namespace], { timeoutMs: 90_000 });
    });

    it('Kubectl, logs', async () => {
      const ns = f.namespace;
      // Waiting for log generator to start (e2epod.CheckPodsRunningReadyOrSucceeded)
      await poll(`pod ${podName} running and ready or succeeded`, async () => {
        const pod = await f.kc.makeApiClient(CoreV1Api).readNamespacedPod({ name: podName, namespace: ns });
        return podRunningReady(pod) || pod.status?.phase === 'Succeeded' ? true : undefined;
      }, podStartTimeoutMs);

      // checking for a matching strings (e2eoutput.LookForStringInLog)
      await poll('"/api/v1/namespaces/kube-system" in the log', async () => {
        const res = await podLogs(f.kc, ns, podName, { container: containerName });
        return res.status === 200 && res.body.includes('/api/v1/namespaces/kube-system') ? true : undefined;
      }, podStartTimeoutMs);

      // limiting log lines
      let out = await f.kubectl.ok(['logs', podName, containerName, '--tail=1', '-n', ns]);
      expect(out).not.toBe('');
      expect(lines(out)).toHaveLength(1);

      // limiting log bytes
      out = await f.kubectl.ok(['logs', podName, containerName, '--limit-bytes=1', '-n', ns]);
      expect(lines(out)).toHaveLength(1);
      expect(out).toHaveLength(1);

      // exposing timestamps
      out = await f.kubectl.ok(['logs', podName, containerName, '--tail=1', '--timestamps', '-n', ns]);
      const l = lines(out);
      expect(l).toHaveLength(1);
      const words = l[0]!.split(' ');
      expect(words.length).toBeGreaterThan(1);
      // RFC3339 or RFC3339Nano
      expect(words[0], `expected "${words[0]}" to be RFC3339 or RFC3339Nano`)
        .toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/);

      // restricting to a time range: wait at least two seconds, because the granularity is only
      // 1 second and it could end up rounding the wrong way.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const recentOut = await f.kubectl.ok(['logs', podName, containerName, '--since=1s', '-n', ns]);
      const recent = recentOut.split('\n').length;
      const olderOut = await f.kubectl.ok(['logs', podName, containerName, '--since=24h', '-n', ns]);
      const older = olderOut.split('\n').length;
      expect(recent, `expected recent(${recent}) to be less than older(${older})\nrecent lines:\n${recentOut}\nolder lines:\n${olderOut}\n`)
        .toBeLessThan(older);
    });
  });
});

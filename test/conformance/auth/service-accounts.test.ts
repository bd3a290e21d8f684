/**
 * Conformance: kubernetes/kubernetes test/e2e/auth/service_accounts.go ("[sig-auth] ServiceAccounts"),
 * the update and token automount rows.
 */
import { describe, expect, it } from 'vitest';
import { CoreV1Api, type V1ServiceAccount } from '@kubernetes/client-node';
import { newFramework, randomString, retryOnConflict } from '../framework.ts';

const f = newFramework('svcaccounts');



describe('[sig-auth] ServiceAccounts', () => {
  it('ServiceAccount, update a ServiceAccount', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const namespace = f.namespace;
    const saName = `e2e-sa-${randomString(5)}`;

    // Creating ServiceAccount
    const initialServiceAccount: V1ServiceAccount = { metadata: { name: saName }, automountServiceAccountToken: false };
    const created = await core.createNamespacedServiceAccount({ namespace, body: initialServiceAccount });
    expect(created.automountServiceAccountToken, 'Failed to set AutomountServiceAccountToken').toBe(false);

    // Updating ServiceAccount
    const updated = await retryOnConflict(async () => {
      const toUpdate = await core.readNamespacedServiceAccount({ name: saName, namespace });
      toUpdate.automountServiceAccountToken = true;
      return core.replaceNamespacedServiceAccount({ name: saName, namespace, body: toUpdate });
    });
    expect(updated.automountServiceAccountToken, 'Failed to set AutomountServiceAccountToken').toBe(true);
  });

  it('Service account tokens auto mount optionally', async () => {
    const core = f.kc.makeApiClient(CoreV1Api);
    const namespace = f.namespace;
    const tokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

    // Create the service accounts
    const mountSA = await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'mount' }, automountServiceAccountToken: true } });
    const nomountSA = await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'nomount' }, automountServiceAccountToken: false } });
    const mount = mountSA.metadata!.name!;
    const nomount = nomountSA.metadata!.name!;

    const testcases: { podName: string; serviceAccountName: string; automountPodSpec?: boolean; expectTokenVolume: boolean }[] = [
      { podName: 'pod-service-account-defaultsa', serviceAccountName: 'default', expectTokenVolume: true },
      { podName: 'pod-service-account-mountsa', serviceAccountName: mount, expectTokenVolume: true },
      { podName: 'pod-service-account-nomountsa', serviceAccountName: nomount, expectTokenVolume: false },
      // Make sure pod spec trumps service account setting
      { podName: 'pod-service-account-defaultsa-mountspec', serviceAccountName: 'default', automountPodSpec: true, expectTokenVolume: true },
      { podName: 'pod-service-account-mountsa-mountspec', serviceAccountName: mount, automountPodSpec: true, expectTokenVolume: true },
      { podName: 'pod-service-account-nomountsa-mountspec', serviceAccountName: nomount, automountPodSpec: true, expectTokenVolume: true },
      { podName: 'pod-service-account-defaultsa-nomountspec', serviceAccountName: 'default', automountPodSpec: false, expectTokenVolume: false },
      { podName: 'pod-service-account-mountsa-nomountspec', serviceAccountName: mount, automountPodSpec: false, expectTokenVolume: false },
      { podName: 'pod-service-account-nomountsa-nomountspec', serviceAccountName: nomount, automountPodSpec: false, expectTokenVolume: false },
    ];

    for (const tc of testcases) {
      const created = await core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name: tc.podName },
          spec: {
            containers: [{ name: 'token-test', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53' }],
            restartPolicy: 'Never', serviceAccountName: tc.serviceAccountName, automountServiceAccountToken: tc.automountPodSpec,
          },
        },
      });
      const hasTokenVolume = created.spec!.containers.some((c) => (c.volumeMounts ?? []).some((vm) => vm.mountPath === tokenMountPath));
      expect(hasTokenVolume, `${tc.podName}: expected volume=${tc.expectTokenVolume}`).toBe(tc.expectTokenVolume);
    }
  });
});

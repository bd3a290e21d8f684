/**
 * Conformance: kubernetes/kubernetes test/e2e/auth/service_accounts.go ("[sig-auth] ServiceAccounts"),
 * the update row.
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
});

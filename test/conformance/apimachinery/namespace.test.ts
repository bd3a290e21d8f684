/**
 * Conformance: Namespace updates, the finalize subresource and the status subresource (upstream
 * test/e2e/apimachinery/namespace.go, "Namespaces [Serial]").
 */
import { describe, expect, it } from 'vitest';
import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1Namespace, type V1NamespaceCondition } from '@kubernetes/client-node';
import { newFramework, retryOnConflict } from '../framework.ts';

describe('Namespaces [Serial]', () => {
  const f = newFramework('namespaces');

  it('Namespace, apply changes to a namespace status', async () => {
    const ns = f.namespace;
    const nsClient = f.kc.makeApiClient(CoreV1Api);

    // Read namespace status
    const nsStatus = await nsClient.readNamespaceStatus({ name: ns });
    expect(nsStatus.status?.phase, `The phase returned was ${nsStatus.status?.phase}`).toBe('Active');

    // Patch namespace status
    const nsCondition: V1NamespaceCondition = { type: 'StatusPatch', status: 'True', reason: 'E2E', message: 'Patched by an e2e test' };
    const patchedStatus = await nsClient.patchNamespaceStatus({
      name: ns,
      body: { metadata: { annotations: { 'e2e-patched-ns-status': ns } }, status: { conditions: [nsCondition] } },
    }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect(patchedStatus.metadata?.annotations, 'patched object should have the applied annotation')
      .toHaveProperty(['e2e-patched-ns-status'], ns);
    const patchedConditions = patchedStatus.status?.conditions ?? [];
    expect(patchedConditions.at(-1)?.reason, `The Reason returned was ${patchedConditions[0]?.reason}`).toBe('E2E');
    expect(patchedConditions.at(-1)?.message, `The Message returned was ${patchedConditions[0]?.message}`).toBe('Patched by an e2e test');

    // Update namespace status
    let conditionsSent = 0;
    const statusUpdated = await retryOnConflict(async () => {
      const statusToUpdate = await nsClient.readNamespaceStatus({ name: ns });
      statusToUpdate.status = {
        ...statusToUpdate.status,
        conditions: [...(statusToUpdate.status?.conditions ?? []), { type: 'StatusUpdate', status: 'True', reason: 'E2E', message: 'Updated by an e2e test' }],
      };
      conditionsSent = statusToUpdate.status.conditions!.length;
      return nsClient.replaceNamespaceStatus({ name: ns, body: statusToUpdate });
    });
    const updatedConditions = statusUpdated.status?.conditions ?? [];
    expect(updatedConditions, `updated object should have the applied condition, got ${JSON.stringify(updatedConditions)}`).toHaveLength(conditionsSent);
    expect(updatedConditions.at(-1)?.type, `updated object should have the approved condition, got ${JSON.stringify(updatedConditions)}`).toBe('StatusUpdate');
    expect(updatedConditions.at(-1)?.message, `The Message returned was ${updatedConditions[0]?.message}`).toBe('Updated by an e2e test');
  });

  it('Namespace, apply update to a namespace', async () => {
    const ns = f.namespace;
    const cs = f.kc.makeApiClient(CoreV1Api);

    // Updating Namespace
    const updatedNamespace = await retryOnConflict(async () => {
      const namespace = await cs.readNamespace({ name: ns });
      namespace.metadata!.labels = { ...namespace.metadata?.labels, [ns]: 'updated' };
      return cs.replaceNamespace({ name: ns, body: namespace });
    });
    expect(updatedNamespace.metadata?.labels, `Failed to update namespace ${ns}. Current Labels: ${JSON.stringify(updatedNamespace.metadata?.labels)}`)
      .toHaveProperty([ns], 'updated');
  });

  it('Namespace, apply finalizer to a namespace', async () => {
    const fakeFinalizer = 'e2e.example.com/fakeFinalizer';

    // Creating namespace
    const testNamespace = await f.createNamespace();
    const ns = testNamespace.metadata!.name!;
    const nsClient = f.kc.makeApiClient(CoreV1Api);

    // Adding e2e finalizer to namespace
    let updatedNamespace: V1Namespace = await retryOnConflict(async () => {
      const updateNamespace = await nsClient.readNamespace({ name: ns });
      updateNamespace.spec = { ...updateNamespace.spec, finalizers: [...(updateNamespace.spec?.finalizers ?? []), fakeFinalizer] };
      return nsClient.replaceNamespaceFinalize({ name: ns, body: updateNamespace });
    });
    expect(updatedNamespace.spec?.finalizers ?? [], `Finalizer ${fakeFinalizer} was not found. Namespace ${ns} has ${JSON.stringify(updatedNamespace.spec?.finalizers)}`)
      .toContain(fakeFinalizer);

    // Removing e2e finalizer from namespace
    updatedNamespace = await retryOnConflict(async () => {
      const current = await nsClient.readNamespace({ name: ns });
      current.spec = { ...current.spec, finalizers: (current.spec?.finalizers ?? []).filter((item) => item !== fakeFinalizer) };
      return nsClient.replaceNamespaceFinalize({ name: ns, body: current });
    });
    expect(updatedNamespace.spec?.finalizers ?? [], `Finalizer ${fakeFinalizer} was found. Namespace ${ns} has ${JSON.stringify(updatedNamespace.spec?.finalizers)}`)
      .not.toContain(fakeFinalizer);
  });
});

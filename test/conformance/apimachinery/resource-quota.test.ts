/**
 * Conformance: ResourceQuota update and delete (upstream test/e2e/apimachinery/resource_quota.go).
 */
import { describe, expect, it } from 'vitest';
import { CoreV1Api, type V1ResourceQuota } from '@kubernetes/client-node';
import { newFramework } from '../framework.ts';

describe('ResourceQuota', () => {
  const f = newFramework('resourcequota');

  it('ResourceQuota, update and delete', async () => {
    const client = f.kc.makeApiClient(CoreV1Api);
    const ns = f.namespace;

    // Creating a ResourceQuota
    const quotaName = 'test-quota';
    const resourceQuota: V1ResourceQuota = { metadata: { name: quotaName }, spec: { hard: { cpu: '1', memory: '500Mi' } } };
    await client.createNamespacedResourceQuota({ namespace: ns, body: resourceQuota });

    // Getting a ResourceQuota
    let resourceQuotaResult = await client.readNamespacedResourceQuota({ name: quotaName, namespace: ns });
    expect(resourceQuotaResult.spec?.hard).toHaveProperty(['cpu'], '1');
    expect(resourceQuotaResult.spec?.hard).toHaveProperty(['memory'], '500Mi');

    // Updating a ResourceQuota: the object as first sent, without a resourceVersion (an unconditional update)
    resourceQuota.spec!.hard = { ...resourceQuota.spec!.hard, cpu: '2', memory: '1Gi' };
    resourceQuotaResult = await client.replaceNamespacedResourceQuota({ name: quotaName, namespace: ns, body: resourceQuota });
    expect(resourceQuotaResult.spec?.hard).toHaveProperty(['cpu'], '2');
    expect(resourceQuotaResult.spec?.hard).toHaveProperty(['memory'], '1Gi');

    // Verifying a ResourceQuota was modified
    resourceQuotaResult = await client.readNamespacedResourceQuota({ name: quotaName, namespace: ns });
    expect(resourceQuotaResult.spec?.hard).toHaveProperty(['cpu'], '2');
    expect(resourceQuotaResult.spec?.hard).toHaveProperty(['memory'], '1Gi');

    // Deleting a ResourceQuota
    await client.deleteNamespacedResourceQuota({ name: quotaName, namespace: ns });

    // Verifying the deleted ResourceQuota
    await expect(client.readNamespacedResourceQuota({ name: quotaName, namespace: ns }), 'Expected `not found` error')
      .rejects.toMatchObject({ code: 404 });
  });
});

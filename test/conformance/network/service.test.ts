/**
 * Conformance: kubernetes/kubernetes test/e2e/network/service.go ("[sig-network] Services"), the
 * deletecollection row. Upstream deletes through the dynamic client; here the same DELETE on the
 * collection goes through CoreV1Api.
 */
import { describe, expect, it } from 'vitest';
import { CoreV1Api, type V1Service } from '@kubernetes/client-node';
import { newFramework, randomString } from '../framework.ts';

const f = newFramework('services');


describe('[sig-network] Services', () => {
  it('Service, deletes a collection of services', async () => {
    const ns = f.namespace;
    const core = f.kc.makeApiClient(CoreV1Api);
    const svcLabel = { 'e2e-test-service': 'delete' };
    const deleteLabel = Object.entries(svcLabel).map(([k, v]) => `${k}=${v}`).join(',');

    // creating a collection of services
    const testServices = [
      { name: `e2e-svc-a-${randomString(5)}`, label: { 'e2e-test-service': 'delete' }, port: 8001 },
      { name: `e2e-svc-b-${randomString(5)}`, label: { 'e2e-test-service': 'delete' }, port: 8002 },
      { name: `e2e-svc-c-${randomString(5)}`, label: { 'e2e-test-service': 'keep' }, port: 8003 },
    ];
    for (const testService of testServices) {
      const svc: V1Service = {
        metadata: { name: testService.name, labels: testService.label },
        spec: {
          type: 'ClusterIP',
          ports: [{ name: 'http', protocol: 'TCP', port: testService.port, targetPort: testService.port }],
        },
      };
      await core.createNamespacedService({ namespace: ns, body: svc });
    }

    let svcList = await core.listNamespacedService({ namespace: ns });
    expect(svcList.items, 'Required count of services out of sync').toHaveLength(3);

    // deleting service collection
    await core.deleteCollectionNamespacedService({ namespace: ns, labelSelector: deleteLabel });

    svcList = await core.listNamespacedService({ namespace: ns });
    expect(svcList.items, 'Required count of services out of sync').toHaveLength(1);
  });
});

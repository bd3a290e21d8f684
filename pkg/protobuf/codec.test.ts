import { describe, expect, it } from 'vitest';
import { StatusError } from '../apierrors/index.ts';
import { canEncodeKubeProtobuf, decodeKubeProtobuf, encodeKubeProtobuf, isProtobufContentType } from './index.ts';
import { catchStatusError } from '../apierrors/testing.ts';

/** decode(encode(obj)) must give obj back; obj is written the way Go prints it. */
function roundTrip(obj: Record<string, unknown>): Record<string, unknown> {
  const decoded = decodeKubeProtobuf(encodeKubeProtobuf(obj));
  expect(decoded.apiVersion).toBe(obj.apiVersion);
  expect(decoded.kind).toBe(obj.kind);
  expect(decoded.object).toEqual(obj);
  return decoded.object;
}

const meta = { name: 'x', namespace: 'default', uid: '6a4a3b0e-1b1c-4c6e-9a57-2f1d4c1e0b11', resourceVersion: '42', creationTimestamp: '2024-01-02T03:04:05Z' };

/** `kubectl.1.32 create namespace foo`, captured from the wire. */
const kubectlNamespaceFoo = '6b3873000a0f0a02763112094e616d657370616365121b0a130a03666f6f12001a0022002a0032003800420012001a020a001a002200';

describe('isProtobufContentType', () => {
  it('matches the media type with or without parameters', () => {
    expect(isProtobufContentType('application/vnd.kubernetes.protobuf')).toBe(true);
    expect(isProtobufContentType('Application/Vnd.Kubernetes.Protobuf; charset=utf-8')).toBe(true);
    expect(isProtobufContentType('application/vnd.kubernetes.protobuf;stream=watch')).toBe(true);
    expect(isProtobufContentType('application/json')).toBe(false);
    expect(isProtobufContentType('')).toBe(false);
  });
});

describe('envelope', () => {
  it('decodes the bytes kubectl sends and encodes them back identically', () => {
    const body = Buffer.from(kubectlNamespaceFoo, 'hex');
    const decoded = decodeKubeProtobuf(body);
    expect(decoded).toEqual({
      apiVersion: 'v1', kind: 'Namespace',
      object: { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'foo', creationTimestamp: null }, spec: {}, status: {} },
    });
    expect(encodeKubeProtobuf(decoded.object).toString('hex')).toBe(kubectlNamespaceFoo);
  });

  it('starts with k8s\\0 and writes typeMeta, raw and the empty content fields', () => {
    const bytes = encodeKubeProtobuf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'foo' } });
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from('k8s\0', 'latin1'));
    // field 1 (typeMeta) { 1: "v1", 2: "Namespace" }
    expect(bytes.subarray(4, 21).toString('hex')).toBe('0a0f0a02763112094e616d657370616365');
    // ends with contentEncoding "" (field 3) and contentType "" (field 4), as gogo writes them
    expect(bytes.subarray(-4).toString('hex')).toBe('1a002200');
  });
});

describe('round trips', () => {
  it('Pod: containers, ports, quantities, int-or-string probes, inline structs, non-omitempty status fields', () => {
    const pod = roundTrip({
      kind: 'Pod', apiVersion: 'v1',
      metadata: {
        ...meta, generateName: 'x-', generation: 3, labels: { app: 'web', tier: 'front' }, annotations: { note: '' },
        deletionTimestamp: '2024-01-02T03:05:05Z', deletionGracePeriodSeconds: 0, finalizers: ['example.com/f'],
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1', controller: true, blockOwnerDeletion: false }],
        managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2024-01-02T03:04:05Z', fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } } }],
      },
      spec: {
        volumes: [{ name: 'cfg', configMap: { name: 'cm', items: [{ key: 'a', path: 'a.txt' }], defaultMode: 420, optional: false } },
          { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }],
        containers: [{
          name: 'web', image: 'nginx:1.27', command: ['nginx'], args: ['-g', 'daemon off;'],
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { containerPort: 9090 }],
          env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { configMapKeyRef: { name: 'cm', key: 'b', optional: true } } },
            { name: 'C', valueFrom: { secretKeyRef: { name: 's', key: 'c' } } },
            { name: 'D', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi', 'example.com/gpu': '1' } },
          volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg', readOnly: true }],
          livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 3, periodSeconds: 10 },
          readinessProbe: { tcpSocket: { port: 'http' }, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
          imagePullPolicy: 'IfNotPresent',
          securityContext: { runAsNonRoot: true, runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        }],
        restartPolicy: 'Always', terminationGracePeriodSeconds: 30, activeDeadlineSeconds: 0, dnsPolicy: 'ClusterFirst',
        nodeSelector: { 'kubernetes.io/os': 'linux' }, serviceAccountName: 'default', automountServiceAccountToken: false,
        nodeName: 'node-1', hostNetwork: true, securityContext: { fsGroup: 2000 }, schedulerName: 'default-scheduler',
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 0 }],
        priority: 0, enableServiceLinks: true,
      },
      status: {
        phase: 'Running', hostIP: '10.0.0.1', podIP: '10.1.0.5', podIPs: [{ ip: '10.1.0.5' }], startTime: '2024-01-02T03:04:06Z',
        conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: '2024-01-02T03:04:07Z', reason: 'ContainersNotReady' }],
        containerStatuses: [{ name: 'web', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false,
          restartCount: 0, image: 'nginx:1.27', imageID: '', started: false }],
        qosClass: 'Burstable',
      },
    });
    // Inline structs: LocalObjectReference's name and ProbeHandler's httpGet sit in their parent.
    const container = (pod.spec as { containers: Array<{ env: Array<{ valueFrom?: unknown }>; livenessProbe: unknown; readinessProbe: unknown }> }).containers[0]!;
    expect(container.env[1]?.valueFrom).toEqual({ configMapKeyRef: { name: 'cm', key: 'b', optional: true } });
    expect(container.livenessProbe).toMatchObject({ httpGet: { port: 8080 } });
    expect(container.readinessProbe).toMatchObject({ tcpSocket: { port: 'http' } });
  });

  it('Deployment: replicas 0 survives, labels map, selector, int-or-string strategy', () => {
    roundTrip({
      kind: 'Deployment', apiVersion: 'apps/v1',
      metadata: { ...meta, labels: { app: 'web' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] },
        template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
        revisionHistoryLimit: 10, progressDeadlineSeconds: 600, paused: true,
      },
      status: { observedGeneration: 1, conditions: [{ type: 'Available', status: 'True', lastUpdateTime: '2024-01-02T03:04:05Z', lastTransitionTime: '2024-01-02T03:04:05Z' }] },
    });
  });

  it('Deployment: an unset replicas stays unset', () => {
    const decoded = decodeKubeProtobuf(encodeKubeProtobuf({ kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'd' }, spec: {} }));
    // Go would also print "selector": null (a nil pointer without omitempty); we leave nil pointers out.
    expect(decoded.object.spec).toEqual({ template: { metadata: { creationTimestamp: null }, spec: {} }, strategy: {} });
  });

  it('Secret: bytes become base64, binary-safe', () => {
    const secret = roundTrip({
      kind: 'Secret', apiVersion: 'v1', metadata: meta, immutable: true, type: 'Opaque',
      data: { k: Buffer.from('v').toString('base64'), bin: Buffer.from([0, 0xff, 0x80, 0x0a]).toString('base64'), empty: '' },
    });
    expect(secret.data).toEqual({ k: 'dg==', bin: 'AP+ACg==', empty: '' });
  });

  it('Namespace and ConfigMap', () => {
    roundTrip({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'ns', creationTimestamp: '2024-01-02T03:04:05Z' },
      spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    roundTrip({ kind: 'ConfigMap', apiVersion: 'v1', metadata: meta, data: { a: 'b', empty: '' }, binaryData: { raw: 'AAEC' }, immutable: false });
  });

  it('DeleteOptions: zero grace period and Foreground propagation, in any group version', () => {
    const options = { gracePeriodSeconds: 0, preconditions: { uid: 'u1', resourceVersion: '7' }, propagationPolicy: 'Foreground', dryRun: ['All'] };
    for (const apiVersion of ['v1', 'meta.k8s.io/v1', 'apps/v1']) roundTrip({ kind: 'DeleteOptions', apiVersion, ...options });
    roundTrip({ kind: 'DeleteOptions', apiVersion: 'v1', orphanDependents: false });
  });

  it('Service: targetPort as number and as name', () => {
    roundTrip({
      kind: 'Service', apiVersion: 'v1', metadata: meta,
      spec: {
        ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }, { name: 'https', protocol: 'TCP', port: 443, targetPort: 8443, nodePort: 30443 }],
        selector: { app: 'web' }, clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], type: 'NodePort', sessionAffinity: 'None',
        ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: {} },
    });
  });

  it('meta/v1 Status, and a list kind', () => {
    roundTrip({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "x" not found', reason: 'NotFound',
      details: { name: 'x', kind: 'pods', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }] }, code: 404,
    });
    roundTrip({
      kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '99', continue: 'abc', remainingItemCount: 0 },
      items: [{ metadata: { name: 'a', creationTimestamp: '2024-01-02T03:04:05Z' }, spec: { containers: [{ name: 'c', image: 'i', resources: {} }] }, status: {} }],
    });
  });

  it('Lease: MicroTime keeps microseconds', () => {
    const lease = roundTrip({
      kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', metadata: { ...meta, namespace: 'kube-node-lease' },
      spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, acquireTime: '2024-01-02T03:04:05.000000Z', renewTime: '2024-01-02T03:04:05.123456Z', leaseTransitions: 0 },
    });
    expect((lease.spec as { renewTime: string }).renewTime).toBe('2024-01-02T03:04:05.123456Z');
  });

  it('other groups: rbac, authentication, admissionregistration, apps RawExtension, events', () => {
    roundTrip({ kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: meta,
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'default' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' } });
    roundTrip({ kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: meta,
      spec: { audiences: ['api'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u' } },
      status: { token: 'abc', expirationTimestamp: '2024-01-02T04:04:05Z' } });
    // UserInfo.extra is map<string, ExtraValue>, ExtraValue a named []string.
    roundTrip({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null },
      status: { userInfo: { username: 'alice', uid: 'u', groups: ['system:authenticated'], extra: { scopes: ['a', 'b'] } } } });
    // Go's field is Webhooks with proto name "Webhooks"; JSON says "webhooks".
    const webhooks = roundTrip({ kind: 'ValidatingWebhookConfiguration', apiVersion: 'admissionregistration.k8s.io/v1', metadata: meta,
      webhooks: [{ name: 'v.example.com', clientConfig: { url: 'https://example.com', caBundle: 'AAEC' }, sideEffects: 'None',
        admissionReviewVersions: ['v1'], rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: '*' }],
        matchConditions: [{ name: 'c', expression: 'true' }] }] });
    expect(webhooks.webhooks).toHaveLength(1);
    roundTrip({ kind: 'ControllerRevision', apiVersion: 'apps/v1', metadata: meta, data: { spec: { template: { $patch: 'replace' } } }, revision: 2 });
    roundTrip({ kind: 'Event', apiVersion: 'events.k8s.io/v1', metadata: meta, eventTime: '2024-01-02T03:04:05.000001Z',
      reportingController: 'kubelet', reportingInstance: 'node-1', action: 'Pulling', reason: 'Pulling', regarding: { kind: 'Pod', name: 'p' },
      note: 'pulling', type: 'Normal', deprecatedSource: {}, deprecatedFirstTimestamp: null, deprecatedLastTimestamp: null });
  });

  it('APIResourceList: verbs is a named slice', () => {
    roundTrip({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'apps/v1',
      resources: [{ name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['get', 'list'], shortNames: ['deploy'] }] });
  });
});

describe('Go JSON rules', () => {
  it('prints unset value structs as Go zero values and leaves unset pointers out', () => {
    const decoded = decodeKubeProtobuf(encodeKubeProtobuf({ kind: 'Pod', apiVersion: 'v1' }));
    expect(decoded.object).toEqual({ kind: 'Pod', apiVersion: 'v1', metadata: { creationTimestamp: null }, spec: {}, status: {} });
  });

  it('prints zero scalars that Go tags without omitempty', () => {
    const pdb = decodeKubeProtobuf(encodeKubeProtobuf({ kind: 'PodDisruptionBudget', apiVersion: 'policy/v1', metadata: { name: 'p' } }));
    expect(pdb.object.status).toEqual({ currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 });
  });

  it('accepts RFC3339 times with offsets and fractions, printing UTC seconds', () => {
    const ns = decodeKubeProtobuf(encodeKubeProtobuf({ kind: 'Namespace', apiVersion: 'v1',
      metadata: { name: 'n', creationTimestamp: '2024-01-02T05:04:05.999+02:00' } }));
    expect((ns.object.metadata as { creationTimestamp: string }).creationTimestamp).toBe('2024-01-02T03:04:05Z');
  });

  it('accepts a number for a quantity', () => {
    const quota = decodeKubeProtobuf(encodeKubeProtobuf({ kind: 'ResourceQuota', apiVersion: 'v1', metadata: { name: 'q' }, spec: { hard: { pods: 10 } } }));
    expect(quota.object.spec).toEqual({ hard: { pods: '10' } });
  });
});

describe('kind resolution', () => {
  it.each([
    ['v1', 'Pod'], ['apps/v1', 'Deployment'], ['rbac.authorization.k8s.io/v1', 'ClusterRole'], ['coordination.k8s.io/v1', 'Lease'],
    ['authentication.k8s.io/v1', 'TokenRequest'], ['authorization.k8s.io/v1', 'SelfSubjectAccessReview'], ['policy/v1', 'Eviction'],
    ['autoscaling/v1', 'Scale'], ['internal.apiserver.k8s.io/v1alpha1', 'StorageVersion'], ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema'],
    ['meta.k8s.io/v1', 'Status'], ['apps/v1', 'DeleteOptions'], ['v1', 'WatchEvent'], ['metrics.k8s.io/v1beta1', 'PodMetrics'],
  ])('%s %s has a protobuf type', (apiVersion, kind) => {
    expect(canEncodeKubeProtobuf(apiVersion, kind)).toBe(true);
  });

  it.each([['meta.k8s.io/v1', 'Table'], ['example.com/v1', 'Widget'], ['v1', 'Deployment'], ['apps/v2', 'Deployment']])(
    '%s %s has none', (apiVersion, kind) => {
      expect(canEncodeKubeProtobuf(apiVersion, kind)).toBe(false);
    });
});

describe('errors', () => {
  const envelope = (typeMeta: string, raw = '', rest = ''): Buffer => Buffer.from(`6b387300${typeMeta}${raw}${rest}`, 'hex');

  it.each([
    ['no magic', Buffer.from('{"kind":"Pod"}'), 'does not start with the Kubernetes prefix'],
    ['empty', Buffer.alloc(0), 'does not start with the Kubernetes prefix'],
    ['truncated envelope', Buffer.from(kubectlNamespaceFoo, 'hex').subarray(0, 20), 'unable to decode the protobuf envelope'],
    ['no kind', envelope('0a040a027631'), "Object 'Kind' is missing"],
    ['unknown kind', envelope('0a180a0e6578616d706c652e636f6d2f76311206576964676574'), 'no kind "Widget" is registered for version "example.com/v1"'],
    ['garbage object bytes', envelope('0a0f0a02763112094e616d657370616365', '1203ffffff'), 'unable to decode protobuf v1, Kind=Namespace'],
    ['compressed content', envelope('0a0f0a02763112094e616d657370616365', '1200', '1a04677a6970'), 'unsupported content encoding "gzip"'],
  ])('%s → 400 BadRequest', (_name, body, message) => {
    const err = catchStatusError(() => decodeKubeProtobuf(body));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toContain(message);
  });

  it('decodes a JSON object carried in the envelope', () => {
    const raw = Buffer.from('{"metadata":{"name":"j"}}').toString('hex');
    const body = envelope('0a0f0a02763112094e616d657370616365', `12${(raw.length / 2).toString(16).padStart(2, '0')}${raw}`, '22106170706c69636174696f6e2f6a736f6e');
    expect(decodeKubeProtobuf(body).object).toEqual({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'j' } });
  });

  it('refuses to encode kinds without a schema (406) and objects of the wrong shape (500)', () => {
    expect(catchStatusError(() => encodeKubeProtobuf({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', rows: [] })).code).toBe(406);
    const bad = catchStatusError(() => encodeKubeProtobuf({ kind: 'Pod', apiVersion: 'v1', spec: { containers: 'nope' } }));
    expect(bad.code).toBe(500);
    expect(bad.message).toContain('spec.containers: expected array');
    expect(catchStatusError(() => encodeKubeProtobuf({ metadata: {} })).code).toBe(500);
  });
});

/**
 * The two kinds one replica controller serves (kubernetes pkg/controller/replication: the
 * ReplicationManager is the ReplicaSet controller over an adapter). Both share replicas,
 * minReadySeconds, template and status; they differ in API path, selector shape, the name events
 * are reported under and the service account the controller runs as.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from '../../api/index.ts';
import { labelSelectorFromObject, labelSelectorFromSet, type LabelSelector, type LabelSelectorObject } from '../../api/selectors/index.ts';
import { resourceRefs, type ResourceRef } from '../../client/informers/index.ts';

export interface ReplicaCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaCondition[];
}

/** A ReplicaSet or a ReplicationController as it comes off the wire. */
export interface ReplicaOwner {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: unknown;
    template?: PodTemplateSpec;
  };
  status?: ReplicaStatus;
}

export interface ReplicaKind {
  kind: 'ReplicaSet' | 'ReplicationController';
  apiVersion: 'apps/v1' | 'v1';
  resource: ResourceRef;
  /** The controller's name in logs and in events' source.component. */
  component: 'replicaset-controller' | 'replication-controller';
  /** The object's selector; throws (a 400 StatusError) for an invalid one. */
  selectorOf(owner: ReplicaOwner): LabelSelector;
  /** Path of one object, e.g. /apis/apps/v1/namespaces/ns/replicasets/name. */
  path(namespace: string, name: string): string;
}

const objectPath = (ref: ResourceRef) => (namespace: string, name: string): string =>
  `${ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`}/namespaces/${encodeURIComponent(namespace)}/${ref.resource}/${encodeURIComponent(name)}`;

export const replicaSetKind: ReplicaKind = {
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  resource: resourceRefs.replicasets,
  component: 'replicaset-controller',
  selectorOf: (owner) => labelSelectorFromObject(owner.spec?.selector as LabelSelectorObject | undefined),
  path: objectPath(resourceRefs.replicasets),
};

export const replicationControllerKind: ReplicaKind = {
  kind: 'ReplicationController',
  apiVersion: 'v1',
  resource: resourceRefs.replicationcontrollers,
  component: 'replication-controller',
  selectorOf: (owner) => labelSelectorFromSet(owner.spec?.selector as Record<string, string> | undefined),
  path: objectPath(resourceRefs.replicationcontrollers),
};

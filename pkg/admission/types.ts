/**
 * Admission (k8s.io/apiserver/pkg/admission): after a request is authorized and its object decoded,
 * mutating plugins may change the object, then validating plugins may refuse it, each in the
 * order of the plugin list. A plugin refuses by throwing a StatusError.
 */
import type { KubeObject } from '../api/index.ts';
import type { UserInfo } from '../auth/user.ts';
import type { ResourceEntry } from '../resources/index.ts';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: Operation;
  /** The resource the request is for; for a subresource, its parent's entry. */
  entry: ResourceEntry;
  subresource: string;
  namespace: string;
  /** The object's name; empty on a create that uses generateName. */
  name: string;
  /** The new object (CREATE, UPDATE); mutating plugins change it in place. */
  object?: KubeObject;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** Operations the plugin looks at; it is not called for others. */
  readonly operations: readonly Operation[];
  admit?(attrs: AdmissionAttributes): void | Promise<void>;
  validate?(attrs: AdmissionAttributes): void | Promise<void>;
}

/**
 * What the store calls around a write: mutate before its own preparation and validation, validate
 * after them, just before the object is written. Built per request by the apiserver.
 */
export interface AdmissionHooks {
  mutate(operation: Operation, object: KubeObject | undefined, oldObject: KubeObject | undefined): Promise<void>;
  validate(operation: Operation, object: KubeObject | undefined, oldObject: KubeObject | undefined): Promise<void>;
}

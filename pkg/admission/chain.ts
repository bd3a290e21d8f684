/** Runs the admission plugins for one request: every mutating plugin, then every validating one. */
import type { KubeObject } from '../api/index.ts';
import type { UserInfo } from '../auth/user.ts';
import type { ResourceEntry } from '../resources/index.ts';
import type { AdmissionAttributes, AdmissionHooks, AdmissionPlugin, Operation } from './types.ts';

export interface AdmissionRequest {
  entry: ResourceEntry;
  subresource: string;
  namespace: string;
  /** The name the request carried: empty on a create with generateName, as upstream's attributes. */
  name: string;
  user: UserInfo;
  dryRun: boolean;
}

export class AdmissionChain {
  private readonly mutating: AdmissionPlugin[];
  private readonly validating: AdmissionPlugin[];

  constructor(readonly plugins: readonly AdmissionPlugin[]) {
    this.mutating = plugins.filter((p) => p.admit);
    this.validating = plugins.filter((p) => p.validate);
  }

  hooksFor(req: AdmissionRequest): AdmissionHooks {
    const attrs = (operation: Operation, object: KubeObject | undefined, oldObject: KubeObject | undefined): AdmissionAttributes => ({
      ...req, operation, object, oldObject,
    });
    return {
      mutate: async (operation, object, oldObject) => {
        const a = attrs(operation, object, oldObject);
        for (const p of this.mutating) if (p.operations.includes(operation)) await p.admit!(a);
      },
      validate: async (operation, object, oldObject) => {
        const a = attrs(operation, object, oldObject);
        for (const p of this.validating) if (p.operations.includes(operation)) await p.validate!(a);
      },
    };
  }
}

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

type Phase = (attrs: AdmissionAttributes) => void | Promise<void>;

const operations: readonly Operation[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

export class AdmissionChain {
  /** Per operation, the plugins' bound admit (or validate) functions, in list order. */
  private readonly mutating: ReadonlyMap<Operation, readonly Phase[]>;
  private readonly validating: ReadonlyMap<Operation, readonly Phase[]>;

  constructor(readonly plugins: readonly AdmissionPlugin[]) {
    const byOperation = (pick: (p: AdmissionPlugin) => Phase | undefined): ReadonlyMap<Operation, readonly Phase[]> =>
      new Map(operations.map((op) => [op, plugins.flatMap((p) => {
        const phase = pick(p);
        return phase && p.operations.includes(op) ? [phase.bind(p)] : [];
      })]));
    this.mutating = byOperation((p) => p.admit);
    this.validating = byOperation((p) => p.validate);
  }

  hooksFor(req: AdmissionRequest): AdmissionHooks {
    const run = async (phases: readonly Phase[] | undefined, operation: Operation, object: KubeObject | undefined,
      oldObject: KubeObject | undefined): Promise<void> => {
      if (!phases || phases.length === 0) return;
      const attrs: AdmissionAttributes = { ...req, operation, object, oldObject };
      for (const phase of phases) {
        // Most plugins decide synchronously: only a returned promise is awaited (a write makes
        // ~20 plugin calls, and each needless await is a trip through the microtask queue).
        const pending = phase(attrs);
        if (pending) await pending;
      }
    };
    return {
      mutate: (operation, object, oldObject) => run(this.mutating.get(operation), operation, object, oldObject),
      validate: (operation, object, oldObject) => run(this.validating.get(operation), operation, object, oldObject),
    };
  }
}

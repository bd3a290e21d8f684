/**
 * Maps storage errors to Status errors per verb, as
 * k8s.io/apiserver/pkg/storage/errors/storage.go (InterpretCreateError, InterpretUpdateError…) does.
 */
import * as apierrors from '../../apierrors/index.ts';
import { isStorageError } from '../../storage/etcd/index.ts';

export type StoreVerb = 'get' | 'list' | 'create' | 'update' | 'delete' | 'watch';

export function interpretStorageError(err: unknown, verb: StoreVerb, group: string, resource: string, name: string): unknown {
  if (!isStorageError(err)) return err;
  switch (err.code) {
    case 'NotFound':
      return apierrors.notFound(group, resource, name);
    case 'Exists':
      return verb === 'create' ? apierrors.alreadyExists(group, resource, name) : apierrors.conflict(group, resource, name);
    case 'Conflict':
      return apierrors.conflict(group, resource, name);
    case 'Compacted':
      return apierrors.resourceExpired(`The resourceVersion for the provided ${verb} is too old.`);
    case 'Unreachable':
      return apierrors.serverTimeout(`The ${verb} operation against ${apierrors.qualifiedResource(group, resource)} could not be completed at this time, please try again.`);
  }
}

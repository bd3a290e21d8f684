/** ServiceAccount strategy, after pkg/registry/core/serviceaccount/strategy.go: metadata checks only. */
import type { Strategy } from '../../generic/strategy.ts';
import { nameIsDNSSubdomain, validateObjectMeta, validateObjectMetaUpdate } from '../../validation/index.ts';

export const serviceAccountStrategy: Strategy = {
  returnDeletedObject: true,
  validate: (obj) => validateObjectMeta(obj.metadata, nameIsDNSSubdomain),
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateObjectMeta(obj.metadata, nameIsDNSSubdomain),
  ],
};

/** get and list: one implementation for every resource. */
import { negotiate, writeObject } from '../negotiation.ts';
import { listOptionsOf } from '../list-options.ts';
import { supportsAs, transformList, transformObject } from '../table.ts';
import type { RequestScope } from '../scope.ts';

export async function handleGet(scope: RequestScope): Promise<void> {
  const choice = negotiate(scope.req.headers.accept, supportsAs);
  const obj = await scope.store.get(scope.info.namespace || undefined, scope.info.name);
  writeObject(scope.res, 200, transformObject(scope, obj, choice), choice);
}

export async function handleList(scope: RequestScope): Promise<void> {
  const choice = negotiate(scope.req.headers.accept, supportsAs);
  const list = await scope.store.list(listOptionsOf(scope));
  writeObject(scope.res, 200, transformList(scope, list, list, choice), choice);
}

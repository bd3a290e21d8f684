/**
 * Where the programs find the files they read at run time (openapi/, the protobuf descriptors):
 * by their path in the repository. The root is two levels above this file, unless KUBE_TS_ROOT
 * names it: a bundled program (pkg/testenv/bundle.ts) no longer sits where its sources did.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The absolute path of `relative` (e.g. `openapi/definitions.json`) in the repository. */
export function repoPath(relative: string): string {
  const root = process.env.KUBE_TS_ROOT || fileURLToPath(new URL('../..', import.meta.url));
  return join(root, relative);
}

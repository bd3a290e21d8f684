/**
 * Opaque list continuation, shaped like k8s.io/apiserver/pkg/storage/continue.go: base64 of
 * {"v":"meta.k8s.io/v1","rv":<revision>,"start":"<next key relative to the resource prefix>"}.
 */
import { badRequest } from '../../apierrors/index.ts';

export interface ContinueState {
  revision: number;
  /** Key (relative to the resource prefix) to start the next page at, inclusive. */
  start: string;
}

export function encodeContinue(state: ContinueState): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: state.revision, start: state.start })).toString('base64url');
}

export function decodeContinue(token: string): ContinueState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('invalid continue token: continue key is not valid: illegal base64 data at input byte 0');
  }
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (p.v !== 'meta.k8s.io/v1') throw badRequest('invalid continue token: continue key is not valid: server does not recognize this encoded key');
  if (typeof p.rv !== 'number' || typeof p.start !== 'string' || p.start.includes('..') || p.start.startsWith('/')) {
    throw badRequest('invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  return { revision: p.rv, start: p.start };
}

/**
 * The claims of a service-account token (pkg/serviceaccount/claims.go): the registered JWT claims
 * plus a private `kubernetes.io` claim naming the account and the object the token is bound to.
 */
import { randomUUID } from 'node:crypto';
import { makeUsername } from './names.ts';

export interface ObjectRef {
  name: string;
  uid: string;
}

export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  /** Projected-token transition marker (pod tokens only); checked, never issued here. */
  warnafter?: number;
}

export interface ServiceAccountClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  'kubernetes.io': KubernetesClaim;
  nbf: number;
  sub: string;
}

export interface ClaimsInput {
  serviceAccount: { namespace: string; name: string; uid: string };
  /** At most a pod (optionally with its node) or a secret or a node. */
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  expirationSeconds: number;
  audiences: string[];
  issuer: string;
  now: Date;
}

/** Keys in the order Go's encoder writes the merged claim map (sorted), so tokens look alike. */
export function buildClaims(input: ClaimsInput): ServiceAccountClaims {
  const now = Math.floor(input.now.getTime() / 1000);
  const { serviceAccount: sa } = input;
  const k8s: KubernetesClaim = { namespace: sa.namespace, serviceaccount: { name: sa.name, uid: sa.uid } };
  if (input.secret && (input.pod || input.node)) throw new Error('internal error, token can only be bound to one object type');
  if (input.pod) {
    k8s.pod = input.pod;
    if (input.node) k8s.node = refWithoutEmpty(input.node);
  } else if (input.secret) {
    k8s.secret = input.secret;
  } else if (input.node) {
    k8s.node = refWithoutEmpty(input.node);
  }
  return {
    aud: input.audiences, exp: now + input.expirationSeconds, iat: now, iss: input.issuer, jti: randomUUID(),
    'kubernetes.io': k8s, nbf: now, sub: makeUsername(sa.namespace, sa.name),
  };
}

/** `uid` is omitempty upstream: a pod's node that no longer exists is named without one. */
function refWithoutEmpty(ref: ObjectRef): ObjectRef {
  return ref.uid ? ref : { name: ref.name } as ObjectRef;
}

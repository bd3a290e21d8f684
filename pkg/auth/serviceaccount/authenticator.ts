/**
 * Service-account JWTs (pkg/serviceaccount/jwt.go and claims.go): a token whose issuer is one of
 * ours, signed by one of the --service-account-key-file keys, meant for one of the audiences asked
 * for, not expired, whose service account (and bound pod, secret or node) still exists with the
 * same uid. Tokens of other issuers are not ours (null); the rest of the failures are 401s.
 */
import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { InvalidCredentials, type TokenAuthenticator } from '../authentication/index.ts';
import type { UserInfo } from '../user.ts';
import type { KubeObject } from '../../api/index.ts';
import type { KubernetesClaim, ObjectRef } from './claims.ts';
import type { ObjectGetter } from './getter.ts';
import { signingAlgorithm } from './keys.ts';
import { credentialIDForJTI, extraKeys, makeGroupNames, makeUsername } from './names.ts';

/** go-jose's jwt.DefaultLeeway. */
const leewaySeconds = 60;

export interface ServiceAccountAuthenticatorOptions {
  issuers: readonly string[];
  keys: readonly KeyObject[];
  /** The apiserver's audiences: a token without `aud` is taken to be for them. */
  implicitAudiences: readonly string[];
  getter: ObjectGetter;
  now?: () => Date;
}

interface Claims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  exp?: unknown;
  nbf?: unknown;
  iat?: unknown;
  jti?: unknown;
  'kubernetes.io'?: Partial<KubernetesClaim>;
}

/** The unverified payload of a compact JWS; undefined when the token is not one. */
function peekClaims(token: string): Claims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? payload as Claims : undefined;
  } catch {
    return undefined;
  }
}

function audiencesOf(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/** Go's %q of a string slice: ["a" "b"]. */
function quoteList(list: readonly string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;
}

function deletedBefore(obj: KubeObject, cutoffMs: number): boolean {
  const ts = obj.metadata.deletionTimestamp;
  return typeof ts === 'string' && Date.parse(ts) < cutoffMs;
}

export function serviceAccountTokenAuthenticator(opts: ServiceAccountAuthenticatorOptions): TokenAuthenticator {
  const issuers = new Set(opts.issuers);
  const now = opts.now ?? (() => new Date());

  const verify = (token: string): Claims => {
    const errors: string[] = [];
    for (const key of opts.keys) {
      try {
        // Times and audiences are checked below, with upstream's leeway and messages.
        return jwt.verify(token, key, { algorithms: [signingAlgorithm(key)], ignoreExpiration: true, ignoreNotBefore: true }) as Claims;
      } catch {
        errors.push('go-jose/go-jose: error in cryptographic primitive');
      }
    }
    throw new InvalidCredentials(errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`);
  };

  const lookup = async (resource: Parameters<ObjectGetter['get']>[0], namespace: string, name: string): Promise<KubeObject | undefined> => {
    try {
      return await opts.getter.get(resource, namespace, name);
    } catch {
      return undefined;
    }
  };

  return async (token, audiences) => {
    const peeked = peekClaims(token);
    if (!peeked || typeof peeked.iss !== 'string' || !issuers.has(peeked.iss)) return null;
    const claims = verify(token);
    if (typeof claims.iss !== 'string' || !issuers.has(claims.iss)) throw new InvalidCredentials(`token issuer "${String(claims.iss)}" is invalid`);

    let tokenAuds = audiencesOf(claims.aud);
    if (tokenAuds.length === 0) tokenAuds = [...opts.implicitAudiences];
    const requested = audiences.length > 0 ? audiences : opts.implicitAudiences;
    const auds = tokenAuds.filter((a) => requested.includes(a));
    if (auds.length === 0 && opts.implicitAudiences.length !== 0) {
      throw new InvalidCredentials(`token audiences ${quoteList(tokenAuds)} is invalid for the target audiences ${quoteList(requested)}`);
    }

    const nowMs = now().getTime();
    const nowS = nowMs / 1000;
    if (typeof claims.nbf === 'number' && nowS + leewaySeconds < claims.nbf) throw new InvalidCredentials('service account token is not valid yet');
    if (typeof claims.exp === 'number' && nowS - leewaySeconds > claims.exp) throw new InvalidCredentials('service account token has expired');
    if (typeof claims.iat === 'number' && nowS + leewaySeconds < claims.iat) throw new InvalidCredentials('service account token is issued in the future');

    const k8s = claims['kubernetes.io'] ?? {};
    const namespace = typeof k8s.namespace === 'string' ? k8s.namespace : '';
    const saRef: Partial<ObjectRef> = k8s.serviceaccount ?? {};
    const cutoff = nowMs - leewaySeconds * 1000;

    let sa: KubeObject;
    try {
      sa = await opts.getter.get('serviceaccounts', namespace, saRef.name ?? '');
    } catch (err) {
      throw new InvalidCredentials((err as Error).message);
    }
    if (sa.metadata.uid !== (saRef.uid ?? '')) {
      throw new InvalidCredentials(`service account UID (${sa.metadata.uid ?? ''}) does not match claim (${saRef.uid ?? ''})`);
    }
    if (deletedBefore(sa, cutoff)) throw new InvalidCredentials(`service account ${namespace}/${saRef.name ?? ''} has been deleted`);

    if (k8s.secret) {
      const secret = await lookup('secrets', namespace, k8s.secret.name);
      if (!secret) throw new InvalidCredentials('service account token has been invalidated');
      if (secret.metadata.uid !== k8s.secret.uid) {
        throw new InvalidCredentials(`secret UID (${secret.metadata.uid ?? ''}) does not match service account secret ref claim (${k8s.secret.uid})`);
      }
      if (deletedBefore(secret, cutoff)) throw new InvalidCredentials('service account token has been invalidated');
    }
    const extra: Record<string, string[]> = {};
    if (k8s.pod) {
      const pod = await lookup('pods', namespace, k8s.pod.name);
      if (!pod) throw new InvalidCredentials('service account token has been invalidated');
      if (pod.metadata.uid !== k8s.pod.uid) {
        throw new InvalidCredentials(`pod UID (${pod.metadata.uid ?? ''}) does not match service account pod ref claim (${k8s.pod.uid})`);
      }
      if (deletedBefore(pod, cutoff)) throw new InvalidCredentials('service account token has been invalidated');
      extra[extraKeys.podName] = [k8s.pod.name];
      extra[extraKeys.podUID] = [k8s.pod.uid];
      if (k8s.node) {
        extra[extraKeys.nodeName] = [k8s.node.name];
        if (k8s.node.uid) extra[extraKeys.nodeUID] = [k8s.node.uid];
      }
    } else if (k8s.node) {
      const node = await lookup('nodes', '', k8s.node.name);
      if (!node) throw new InvalidCredentials('service account token has been invalidated');
      if (node.metadata.uid !== k8s.node.uid) {
        throw new InvalidCredentials(`node UID (${node.metadata.uid ?? ''}) does not match service account node ref claim (${k8s.node.uid})`);
      }
      if (deletedBefore(node, cutoff)) throw new InvalidCredentials('service account token has been invalidated');
      extra[extraKeys.nodeName] = [k8s.node.name];
      extra[extraKeys.nodeUID] = [k8s.node.uid];
    }
    const credentialID = credentialIDForJTI(typeof claims.jti === 'string' ? claims.jti : '');
    if (credentialID) extra[extraKeys.credentialID] = [credentialID];

    const name = saRef.name ?? '';
    const user: UserInfo = { username: makeUsername(namespace, name), uid: saRef.uid ?? '', groups: makeGroupNames(namespace) };
    if (Object.keys(extra).length > 0) user.extra = extra;
    return { user, audiences: auds };
  };
}

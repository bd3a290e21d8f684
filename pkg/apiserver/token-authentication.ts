/**
 * Bearer-token authentication as the flags configure it: static tokens (--token-auth-file), then
 * service-account JWTs (--service-account-key-file / -issuer / --api-audiences), and the token
 * issuer TokenRequest signs with (--service-account-signing-key-file). One object, so the filter
 * chain, TokenReview and TokenRequest agree on keys and audiences.
 */
import type { KeyObject } from 'node:crypto';
import {
  authenticateToken, bearerTokenAuthenticator, staticTokenAuthenticator, type Authenticator, type StaticTokens,
  type TokenAuthenticator, type TokenResponse,
} from '../auth/authentication/index.ts';
import { jwtTokenIssuer, registryGetter, serviceAccountTokenAuthenticator, type ObjectGetter, type TokenIssuer } from '../auth/serviceaccount/index.ts';
import type { Registry } from '../registry/registry.ts';

export interface ServiceAccountTokenConfig {
  /** --service-account-issuer, in order: the first signs, all are accepted. */
  issuers: string[];
  /** --service-account-key-file: the keys tokens are verified with. */
  publicKeys: KeyObject[];
  /** --service-account-signing-key-file: without it TokenRequest is not served. */
  signingKey?: KeyObject;
  /** --service-account-max-token-expiration, in seconds; 0 or absent: no cap. */
  maxExpirationSeconds?: number;
}

export interface TokenAuthConfig {
  staticTokens?: StaticTokens;
  serviceAccounts?: ServiceAccountTokenConfig;
  /** --api-audiences; default: the service-account issuers. */
  apiAudiences?: string[];
}

export interface TokenAuthentication {
  /** Request authenticators to put in the authentication chain (after client certificates). */
  authenticators: Authenticator[];
  /** TokenReview: the user a token stands for, for these audiences; throws InvalidCredentials. */
  review(token: string, audiences: readonly string[]): Promise<TokenResponse>;
  apiAudiences: string[];
  issuer?: TokenIssuer;
  maxExpirationSeconds: number;
  getter: ObjectGetter;
}

export function tokenAuthentication(cfg: TokenAuthConfig, registry: Registry): TokenAuthentication {
  const getter = registryGetter(registry);
  const sa = cfg.serviceAccounts;
  const apiAudiences = cfg.apiAudiences && cfg.apiAudiences.length > 0 ? [...cfg.apiAudiences] : [...(sa?.issuers ?? [])];
  const tokenAuthenticators: TokenAuthenticator[] = [];
  if (cfg.staticTokens) tokenAuthenticators.push(staticTokenAuthenticator(cfg.staticTokens));
  if (sa && sa.issuers.length > 0 && sa.publicKeys.length > 0) {
    tokenAuthenticators.push(serviceAccountTokenAuthenticator({ issuers: sa.issuers, keys: sa.publicKeys, implicitAudiences: apiAudiences, getter }));
  }
  return {
    authenticators: tokenAuthenticators.length > 0 ? [bearerTokenAuthenticator(tokenAuthenticators, apiAudiences)] : [],
    review: (token, audiences) => authenticateToken(tokenAuthenticators, token, audiences),
    apiAudiences,
    issuer: sa?.signingKey && sa.issuers[0] ? jwtTokenIssuer(sa.issuers[0], sa.signingKey) : undefined,
    maxExpirationSeconds: sa?.maxExpirationSeconds ?? 0,
    getter,
  };
}

/** Signs service-account tokens with the --service-account-signing-key-file key as the first issuer. */
import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { buildClaims, type ClaimsInput } from './claims.ts';
import { keyID, signingAlgorithm } from './keys.ts';

export interface TokenIssuer {
  readonly issuer: string;
  /** A signed token and the second its validity ends. */
  issue(input: Omit<ClaimsInput, 'issuer'>): { token: string; expiresAt: Date };
}

export function jwtTokenIssuer(issuer: string, key: KeyObject): TokenIssuer {
  const algorithm = signingAlgorithm(key);
  const kid = keyID(key);
  return {
    issuer,
    issue(input) {
      const claims = buildClaims({ ...input, issuer });
      // go-jose writes {"alg","kid"} only: no "typ".
      const token = jwt.sign(claims, key, { algorithm, header: { alg: algorithm, kid, typ: undefined } });
      return { token, expiresAt: new Date(claims.exp * 1000) };
    },
  };
}

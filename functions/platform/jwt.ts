import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { UnauthorizedError } from './errors';

export interface JwtVerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
}

export type VerifyToken = (token: string) => Promise<JWTPayload>;

/**
 * Verifies bearer tokens against a JWKS: a Cognito user pool in AWS, the dev issuer of the
 * embedded runtime locally. The key set is fetched once and cached by jose (refetched on an
 * unknown `kid`, with a cooldown), so a request costs a signature check, not a network call.
 * Only RS256 is accepted: both issuers sign with it, and pinning the algorithm closes
 * algorithm-confusion attacks.
 */
export const createJwtVerifier = ({ jwksUrl, issuer, audience }: JwtVerifierOptions): VerifyToken => {
  const keys = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 3000, cooldownDuration: 30_000 });
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience,
        algorithms: ['RS256'],
        clockTolerance: 5,
      });
      return payload;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new UnauthorizedError('the token has expired');
      if (error instanceof errors.JOSEError) throw new UnauthorizedError('the token is not valid');
      throw error;
    }
  };
};

// OAuth 2.0 authorization-code flow with PKCE (RFC 7636) against the Cognito hosted UI.
// The id_token becomes the API bearer token; the verifier and state live in sessionStorage
// only between the redirect out and the callback.
import { z } from 'zod';
import { ApiError, isAbort, NetworkError } from '../api/problem.ts';
import type { CognitoConfig } from './config.ts';
import type { Session } from './session.ts';

const PKCE_KEY = 'channelkit.pkce';
export const CALLBACK_PATH = '/auth/callback';

const PendingLoginSchema = z.object({ verifier: z.string().min(43), state: z.string().min(1) });

const TokenResponseSchema = z.object({
  id_token: z.string().min(1),
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string(),
});

const TokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function randomString(byteLength: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(byteLength)));
}

export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function redirectUri(): string {
  return new URL(CALLBACK_PATH, window.location.origin).toString();
}

/** Leaves the portal for the hosted UI; the browser comes back to /auth/callback. */
export async function startCognitoLogin(config: CognitoConfig): Promise<void> {
  const verifier = randomString(32);
  const state = randomString(16);
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const url = new URL('/oauth2/authorize', config.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.toString());
}

function signInProblem(detail: string): ApiError {
  return new ApiError({ title: 'Sign-in failed', status: 400, detail });
}

function takePendingLogin(): z.infer<typeof PendingLoginSchema> | null {
  const raw = sessionStorage.getItem(PKCE_KEY);
  sessionStorage.removeItem(PKCE_KEY);
  if (raw === null) return null;
  try {
    const parsed = PendingLoginSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Handles the callback's query string: checks state, exchanges the code for tokens. */
export async function completeCognitoLogin(config: CognitoConfig, params: URLSearchParams): Promise<Session> {
  const pending = takePendingLogin();
  const error = params.get('error');
  if (error !== null) throw signInProblem(params.get('error_description') ?? error);
  const code = params.get('code');
  if (code === null) throw signInProblem('The sign-in response had no authorization code.');
  if (pending === null || pending.state !== params.get('state')) {
    throw signInProblem('The sign-in response did not match this browser session. Please try again.');
  }

  let response: Response;
  try {
    response = await fetch(new URL('/oauth2/token', config.domain), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: config.clientId,
        code,
        redirect_uri: redirectUri(),
        code_verifier: pending.verifier,
      }),
    });
  } catch (cause) {
    if (isAbort(cause)) throw cause;
    throw new NetworkError(cause);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const failure = TokenErrorSchema.safeParse(body);
    throw signInProblem(
      failure.success ? (failure.data.error_description ?? failure.data.error) : 'The token exchange failed.',
    );
  }
  const tokens = TokenResponseSchema.safeParse(body);
  if (!tokens.success) throw signInProblem('The token response did not contain an id_token.');
  return {
    token: tokens.data.id_token,
    expiresAt: new Date(Date.now() + tokens.data.expires_in * 1000).toISOString(),
  };
}

/**
 * Ends the hosted-UI session too. Cognito only returns to a registered logout URL: the
 * portal's root (infra/constructs/portal-auth.ts), which shows login to a signed-out user.
 */
export function cognitoLogoutUrl(config: CognitoConfig): string {
  const url = new URL('/logout', config.domain);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    logout_uri: new URL('/', window.location.origin).toString(),
  }).toString();
  return url.toString();
}

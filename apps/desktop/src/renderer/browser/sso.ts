/**
 * Single sign-on in the browser client: the page leaves for the identity provider and the server
 * sends it back to `/app/` with a one-time code (or the refusal) and the state it kept. What the
 * page must remember across that trip (the PKCE verifier and the state) waits in sessionStorage,
 * and the code is taken out of the address at once.
 */
import { ErrorCodeSchema, SSO_REDIRECT_PARAMS, type ErrorCode } from '@tandem/shared';

/** What the server's redirect carried: a one-time code, a refusal, or nothing (an ordinary visit). */
export type SsoReturn =
  | { readonly kind: 'code'; readonly code: string; readonly state: string }
  | { readonly kind: 'refused'; readonly code: ErrorCode; readonly message: string; readonly state: string }
  | null;

/** Reads the redirect's parameters off `search` (`?code=…&state=…`). */
export function ssoReturnOf(search: string): SsoReturn {
  const query = new URLSearchParams(search);
  const state = query.get(SSO_REDIRECT_PARAMS.state);
  if (state === null) return null;
  const code = query.get(SSO_REDIRECT_PARAMS.code);
  if (code !== null) return { kind: 'code', code, state };
  const error = query.get(SSO_REDIRECT_PARAMS.error);
  if (error === null) return null;
  return {
    kind: 'refused',
    code: ErrorCodeSchema.safeParse(error).data ?? 'unauthenticated',
    message: query.get(SSO_REDIRECT_PARAMS.errorDescription) ?? 'single sign-on was refused',
    state,
  };
}

/** A verifier of 43 characters (RFC 7636 §4.1) and its S256 challenge, from the browser's crypto. */
export async function pkcePair(): Promise<{ readonly verifier: string; readonly challenge: string }> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  return { verifier, challenge: await s256(verifier) };
}

/** RFC 7636 §4.2: base64url(SHA-256(verifier)). */
export async function s256(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

export const randomState = (): string => base64url(crypto.getRandomValues(new Uint8Array(16)));

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

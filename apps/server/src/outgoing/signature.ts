import { createHmac, randomBytes } from 'node:crypto';

/** `whsec_` and 32 random bytes: the HMAC key an endpoint's receiver verifies with. */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * `Tandem-Signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the
 * secret as given (its UTF-8 bytes), as Stripe signs. The timestamp is signed with the body, so a
 * receiver that refuses old timestamps (five minutes is usual) refuses replays.
 */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

import { createHash } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';

/**
 * For tests (`postLivekitWebhook` in testSupport.ts): the authorization header LiveKit sends
 * with the webhook `body`, a token of the API key signed with its secret over the body's SHA-256.
 */
export async function webhookAuthorization(apiKey: string, apiSecret: string, body: string): Promise<string> {
  const token = new AccessToken(apiKey, apiSecret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return token.toJwt();
}

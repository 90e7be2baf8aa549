import { SPECIAL_PATHS } from '@tandem/shared';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services/index.ts';
import { originOf } from './routes.ts';
import { escapeHtml, page } from './web.ts';

/**
 * The OpenID Provider's redirect (`/sso/callback?code=…&state=…`). The server redeems the code and
 * sends the browser on to the app that started the sign-in, with a one-time code or the refusal;
 * a state it cannot place answers a page. Nothing here is cached or sent on as a referrer.
 */
export function registerSsoCallback(app: FastifyInstance, s: Services): void {
  app.get(SPECIAL_PATHS.ssoCallback, async (request, reply) => {
    const at = request.url.indexOf('?');
    const outcome = await s.sso.callback(at === -1 ? '' : request.url.slice(at), originOf(request));
    void reply
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff');
    if (outcome.kind === 'redirect') return reply.redirect(outcome.location, 303);
    return reply
      .code(outcome.status)
      .header('content-security-policy', "default-src 'none'; style-src 'self'; frame-ancestors 'none'")
      .type('text/html; charset=utf-8')
      .send(
        page(
          'Sign-in failed',
          `<h1>Sign-in failed</h1><p>${escapeHtml(outcome.message)}</p>` +
            `<p class="note">Start the sign-in again from Tandem. (<code>${outcome.code}</code>)</p>`,
        ),
      );
  });
}

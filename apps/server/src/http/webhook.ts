import { SPECIAL_PATHS } from '@tandem/shared';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services/index.ts';

/** LiveKit webhooks: the signature covers the raw body, so this route reads it as text. */
export function registerWebhook(app: FastifyInstance, s: Services): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post(SPECIAL_PATHS.livekitWebhook, async (request) => {
      const body = typeof request.body === 'string' ? request.body : '';
      await s.webhooks.receive(body, request.headers.authorization);
      return { ok: true };
    });
  });
}

import { SPECIAL_PATHS } from '@tandem/shared';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services/index.ts';
import { apiError } from './errors.ts';

/** LiveKit webhooks: the signature covers the raw body, so this route reads it as text. */
export function registerWebhook(app: FastifyInstance, s: Services): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post(SPECIAL_PATHS.livekitWebhook, async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      try {
        await s.webhooks.receive(body, request.headers.authorization);
      } catch (e) {
        request.log.warn({ err: e }, 'rejected LiveKit webhook');
        return reply.code(401).send(apiError('unauthenticated', 'webhook signature or body is not valid'));
      }
      return { ok: true };
    });
  });
}

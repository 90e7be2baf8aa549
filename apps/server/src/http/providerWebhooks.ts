import { CALENDAR_FEED_PATH, IdSchema, SPECIAL_PATHS } from '@tandem/shared';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services/index.ts';
import { apiError, invalid } from './errors.ts';
import { authenticate, checkScope } from './routes.ts';

/**
 * Routes outside the JSON table: provider webhooks, whose signatures cover the raw body (so this
 * scope reads bodies as text), and the ICS feed, which calendar apps fetch without a bearer.
 */
export function registerLinkedHttp(app: FastifyInstance, s: Services): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    scope.post<{ Params: { orgId: string } }>(SPECIAL_PATHS.zoomWebhook, async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const answer = await s.linked.zoomWebhook(request.params.orgId, request.headers, body);
      return reply.code(answer.status).send(answer.body);
    });

    // Google's push notifications carry everything in headers; the body is empty.
    scope.post(SPECIAL_PATHS.googleWebhook, async (request, reply) => {
      await s.linked.googleWebhook(request.headers);
      return reply.code(200).send({ ok: true });
    });

    scope.post(SPECIAL_PATHS.graphWebhook, async (request, reply) => {
      const query = new URLSearchParams(request.url.split('?')[1] ?? '');
      const answer = await s.linked.graphWebhook(query, typeof request.body === 'string' ? request.body : '');
      return reply.code(answer.status).type(answer.contentType).send(answer.body);
    });
  });

  app.get<{ Params: { file: string } }>(SPECIAL_PATHS.calendarFeed, async (request, reply) => {
    const token = CALENDAR_FEED_PATH.exec(`/calendar/${request.params.file}`)?.[1];
    const ics = token === undefined ? undefined : await s.linked.feed(token);
    if (ics === undefined) return reply.code(404).send(apiError('not_found', 'calendar feed not found'));
    // Feeds are per person: shared caches must not keep them.
    return reply.code(200).type('text/calendar; charset=utf-8').header('cache-control', 'private, no-store').send(ics);
  });
  registerMeetingIcs(app, s);
}

const MeetingParamsSchema = z.object({ meetingId: IdSchema });

/** `GET /meetings/<id>/event.ics`: one meeting to add to a calendar; a person's bearer, errors in the API's shape. */
function registerMeetingIcs(app: FastifyInstance, s: Services): void {
  app.get(SPECIAL_PATHS.meetingIcs, async (request, reply) => {
    const caller = await authenticate(s, request);
    checkScope(caller, undefined, `GET ${SPECIAL_PATHS.meetingIcs}`);
    const params = MeetingParamsSchema.safeParse(request.params);
    if (!params.success) throw invalid('params', params.error);
    const file = await s.linked.eventFile(caller, params.data.meetingId);
    return reply
      .code(200)
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="${encodeURIComponent(file.filename)}"`)
      .header('cache-control', 'private, no-store')
      .send(file.body);
  });
}

import { IdSchema, SPECIAL_PATHS, TranscriptExportQuerySchema } from '@tandem/shared';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services/index.ts';
import { invalid } from './errors.ts';
import { authenticate, checkScope } from './routes.ts';

const ParamsSchema = z.object({ meetingId: IdSchema });

/**
 * `GET /meetings/<id>/transcript/export?format=txt|vtt`: the meeting's transcript as a file, so it
 * is outside the JSON route table; authenticated like the API (a person's bearer), errors in the API's shape.
 */
export function registerTranscriptExport(app: FastifyInstance, s: Services): void {
  app.get(SPECIAL_PATHS.transcriptExport, async (request, reply) => {
    const caller = await authenticate(s, request);
    checkScope(caller, undefined, `GET ${SPECIAL_PATHS.transcriptExport}`);
    const params = ParamsSchema.safeParse(request.params);
    if (!params.success) throw invalid('params', params.error);
    const query = TranscriptExportQuerySchema.safeParse(request.query ?? {});
    if (!query.success) throw invalid('query', query.error);
    const file = await s.transcripts.export(caller, params.data.meetingId, query.data.format);
    return reply
      .code(200)
      .type(file.contentType)
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'private, no-store')
      .send(file.body);
  });
}

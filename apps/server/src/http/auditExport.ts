import { AuditExportQuerySchema, SPECIAL_PATHS } from '@tandem/shared';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services/index.ts';
import { invalid } from './errors.ts';
import { authenticate, checkScope } from './routes.ts';

/**
 * `GET /audit/export?format=csv|json`: the audit log as a file, so it is outside the JSON route
 * table; authenticated like the API (a person's bearer, or an API key with `audit:read`), errors in the API's shape.
 */
export function registerAuditExport(app: FastifyInstance, s: Services): void {
  app.get(SPECIAL_PATHS.auditExport, async (request, reply) => {
    const caller = await authenticate(s, request);
    checkScope(caller, 'audit:read', `GET ${SPECIAL_PATHS.auditExport}`);
    const parsed = AuditExportQuerySchema.safeParse(request.query ?? {});
    if (!parsed.success) throw invalid('query', parsed.error);
    const { format, ...filter } = parsed.data;
    const file = await s.auditLog.export(caller, filter, format);
    return reply
      .code(200)
      .type(file.contentType)
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'private, no-store')
      .send(file.body);
  });
}

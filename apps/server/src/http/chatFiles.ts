import { ChatFileUploadQuerySchema, IdSchema, SPECIAL_PATHS } from '@tandem/shared';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services/index.ts';
import { tooLarge } from '../services/files.ts';
import { invalid } from './errors.ts';
import { authenticate, checkScope } from './routes.ts';

/** `filename*` (RFC 6266, 8187) with a plain ASCII `filename` beside it for old clients. */
export const contentDisposition = (kind: 'inline' | 'attachment', name: string): string =>
  `${kind}; filename="${name.replace(/[^\x20-\x7e]|["\\%]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/**
 * Files in chat, outside the JSON route table: the upload's body is the file itself (streamed to
 * disk, never buffered whole), and a link answers the file. Errors in the API's shape.
 */
export function registerChatFiles(app: FastifyInstance, s: Services): void {
  void app.register(async (scope) => {
    // The body is the file: no parser reads it; the service streams `request.raw` and counts.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

    scope.post<{ Params: { conversationId: string }; Querystring: Record<string, string> }>(
      SPECIAL_PATHS.chatFileUpload,
      async (request, reply) => {
        const caller = await authenticate(s, request);
        checkScope(caller, undefined, `POST ${SPECIAL_PATHS.chatFileUpload}`);
        const conversationId = IdSchema.safeParse(request.params.conversationId);
        if (!conversationId.success) throw invalid('params', conversationId.error);
        const query = ChatFileUploadQuerySchema.safeParse(request.query);
        if (!query.success) throw invalid('query', query.error);
        const declared = Number(request.headers['content-length'] ?? '0');
        // A body that says it is too large is refused before a byte of it is read.
        if (declared > s.files.maxBytes) {
          void reply.header('connection', 'close');
          throw tooLarge(s.files.maxBytes);
        }
        const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        try {
          const file = await s.files.upload(caller, conversationId.data, query.data.name, type, request.raw);
          return await reply.code(201).send(file);
        } catch (error) {
          // Whatever of the body was not read is dropped; the connection does not carry another request.
          if (!request.raw.readableEnded) void reply.header('connection', 'close');
          throw error;
        }
      },
    );
  });

  app.get<{ Params: { token: string }; Querystring: { download?: string; thumbnail?: string } }>(
    SPECIAL_PATHS.chatFileMedia,
    async (request, reply) => {
      const media = await s.files.media(request.params.token, request.query.thumbnail === '1');
      const inline = media.inline && request.query.download !== '1';
      return (
        reply
          .header('cache-control', 'private, no-store')
          .header('x-content-type-options', 'nosniff')
          // Whatever a file holds, it never runs as a page of this server.
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', media.name))
          .header('content-length', media.size)
          .type(media.contentType)
          .send(await media.read())
      );
    },
  );
}

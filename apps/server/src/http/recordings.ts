import { SPECIAL_PATHS } from '@tandem/shared';
import type { FastifyInstance } from 'fastify';
import type { ByteRange } from '../recorder/storage.ts';
import type { Services } from '../services/index.ts';

/**
 * The one range of a `Range: bytes=…` header, within a file of `size` bytes: undefined for the
 * whole file (no header, or several ranges, which a server may answer whole), 'unsatisfiable'
 * when it lies outside the file (RFC 9110 §14.1.2).
 */
export function rangeOf(header: string | undefined, size: number): ByteRange | undefined | 'unsatisfiable' {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Math.min(Number(last), size);
    return length === 0 ? 'unsatisfiable' : { start: size - length, end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/**
 * A recording's file through a short-lived link (`recordingLink`): the link is the credential, so
 * a `<video>` element plays it and seeks with Range requests, and `?download=1` saves it.
 */
export function registerRecordingMedia(app: FastifyInstance, s: Services): void {
  app.get<{ Params: { token: string }; Querystring: { download?: string } }>(
    SPECIAL_PATHS.recordingMedia,
    async (request, reply) => {
      const media = await s.recordings.media(request.params.token);
      void reply
        .header('accept-ranges', 'bytes')
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .type('video/mp4');
      if (request.query.download === '1') {
        void reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(media.fileName)}`);
      }
      const range = rangeOf(request.headers.range, media.size);
      if (range === 'unsatisfiable') {
        return reply.code(416).header('content-range', `bytes */${media.size}`).send();
      }
      if (range === undefined) return reply.header('content-length', media.size).send(await media.read());
      return reply
        .code(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${media.size}`)
        .header('content-length', range.end - range.start + 1)
        .send(await media.read(range));
    },
  );
}

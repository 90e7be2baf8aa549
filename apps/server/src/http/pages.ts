import {
  issuesOf,
  PAGE_WS_CLOSE,
  PAGE_WS_PATH,
  PageClientMessageSchema,
  type PageClientMessage,
  type PageServerMessage,
} from '@tandem/shared';
import type { FastifyInstance } from 'fastify';
import type { RawData } from 'ws';
import { ServiceError, type Services } from '../services/index.ts';
import { PageRefusal } from '../services/pageRooms.ts';
import { HttpError } from './errors.ts';
import { rateLimiter } from './rateLimit.ts';
import { originOf } from './routes.ts';
import { socketRoute } from './socketRoute.ts';
import { sendJson } from './textFrames.ts';

const AUTH_TIMEOUT_MS = 10_000;

const bytesOf = (data: RawData): Uint8Array =>
  Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;

/**
 * The page socket (packages/shared/src/api/pages.ts): the first text frame is `auth` with a page
 * token; then binary frames are Yjs sync and awareness for the page's document and text frames
 * are control messages, each answered by `result` or `error` with its `ref`.
 */
export function registerPageSocket(app: FastifyInstance, s: Services, options: { readonly perMinute: number }): void {
  // Control requests (comments, delegations, people searches) cost like chat writes: capped per person.
  const requests = rateLimiter(s.cluster, options.perMinute, 'page requests');
  // Sockets dropped by shutdown leave nothing to do: the services write open documents as they stop.
  let shuttingDown = false;
  app.addHook('preClose', async () => {
    shuttingDown = true;
  });
  socketRoute(app, PAGE_WS_PATH, (socket, request) => {
    const origin = originOf(request);
    const send = (message: PageServerMessage): void => sendJson(socket, message);
    const sendFrame = (frame: Uint8Array): void => {
      if (socket.readyState === socket.OPEN) socket.send(frame);
    };
    const fail = (ref: string | undefined, code: string, message: string): void =>
      send({ type: 'error', ...(ref === undefined ? {} : { ref }), error: { code, message } });

    type Session = Awaited<ReturnType<Services['pages']['open']>>;
    let session: { opened: Session; joined: Awaited<ReturnType<Session['join']>> } | undefined;
    let closed = false;
    let queue = Promise.resolve();
    const authTimer = setTimeout(() => socket.close(PAGE_WS_CLOSE.tokenRefused, 'no auth message'), AUTH_TIMEOUT_MS);

    async function authenticate(token: string): Promise<void> {
      try {
        const opened = await s.pages.open(token, origin);
        clearTimeout(authTimer);
        send({
          type: 'ready',
          self: { id: opened.caller.user.id, name: opened.caller.user.name },
          page: opened.grant.page,
          url: opened.grant.url,
          title: opened.grant.title,
        });
        const joined = await opened.join({
          person: { id: opened.caller.user.id, name: opened.caller.user.name },
          send,
          sendFrame,
        });
        session = { opened, joined };
        // The socket may have closed while it was joining.
        if (closed) await joined.leave();
      } catch (e) {
        fail('auth', 'unauthenticated', e instanceof ServiceError ? e.message : 'the page token was refused');
        socket.close(PAGE_WS_CLOSE.tokenRefused, 'unauthenticated');
      }
    }

    async function handle(message: PageClientMessage): Promise<void> {
      if (message.type === 'auth') {
        if (session === undefined) await authenticate(message.token);
        else fail('auth', 'bad_request', 'already authenticated');
        return;
      }
      if (session === undefined) {
        socket.close(PAGE_WS_CLOSE.tokenRefused, 'the first message must be auth');
        return;
      }
      try {
        await requests(session.opened.caller.user.id);
        send({ type: 'result', ref: message.ref, result: await session.opened.control(message) });
      } catch (e) {
        if (e instanceof ServiceError || e instanceof HttpError) fail(message.ref, e.code, e.message);
        else {
          app.log.error(e, 'page message failed');
          fail(message.ref, 'internal', 'internal error');
        }
      }
    }

    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        queue = queue.then(() => {
          if (session === undefined) {
            socket.close(PAGE_WS_CLOSE.tokenRefused, 'the first message must be auth');
            return;
          }
          try {
            session.joined.receive(bytesOf(data));
          } catch (e) {
            // A refused document update is said, and the rest of the socket goes on.
            fail(
              undefined,
              e instanceof PageRefusal ? 'forbidden' : 'bad_request',
              e instanceof PageRefusal ? e.message : 'malformed frame',
            );
          }
        });
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(String(data));
      } catch {
        json = undefined;
      }
      const parsed = PageClientMessageSchema.safeParse(json);
      if (!parsed.success) {
        send({
          type: 'error',
          error: {
            code: 'bad_request',
            message: `invalid message: ${issuesOf(parsed.error)
              .map((i) => i.path)
              .join(', ')}`,
          },
        });
        if (session === undefined) socket.close(PAGE_WS_CLOSE.badMessage, 'invalid message');
        return;
      }
      queue = queue.then(() => handle(parsed.data));
    });

    socket.on('close', () => {
      closed = true;
      clearTimeout(authTimer);
      const ended = session;
      if (ended === undefined || shuttingDown) return;
      queue = queue.then(() => ended.joined.leave()).catch((e: unknown) => app.log.error(e, 'leaving a page failed'));
    });
  });
}

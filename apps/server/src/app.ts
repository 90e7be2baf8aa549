import { randomUUID } from 'node:crypto';
import websocket from '@fastify/websocket';
import { LIMITS, SPECIAL_PATHS, WS_CLOSE, openApiDocument } from '@tandem/shared';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Config } from './config.ts';
import { registerAuditExport } from './http/auditExport.ts';
import { registerTranscriptExport } from './http/transcriptExport.ts';
import { registerChatFiles } from './http/chatFiles.ts';
import { apiError, clientErrorHandler, codeOfStatus, HttpError, STATUS_OF } from './http/errors.ts';
import { logSerializers } from './http/logging.ts';
import { registerLinkedHttp } from './http/providerWebhooks.ts';
import { registerRecordingMedia } from './http/recordings.ts';
import { registerOperations, type Metrics } from './http/operations.ts';
import { registerRoutes } from './http/routes.ts';
import { registerSsoCallback } from './http/sso.ts';
import { registerScim } from './http/scim.ts';
import { registerWebhook } from './http/webhook.ts';
import { registerWeb } from './http/web.ts';
import { registerRegistration } from './http/registration.ts';
import { registerWebSocket } from './http/ws.ts';
import { registerPageSocket } from './http/pages.ts';
import { ServiceError, type Services } from './services/index.ts';
import type { WebSocket } from 'ws';

export type AppDeps = {
  readonly services: Services;
  readonly config: Pick<Config, 'rateLimits' | 'webAppDir'> & { readonly livekit: Pick<Config['livekit'], 'wsUrl'> };
  readonly logger: FastifyBaseLogger;
  readonly version: string;
  readonly metrics: Metrics;
};

/** Builds the HTTP + WebSocket app. No side effects until the caller listens. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // The child's serializers win over Fastify's own: request URLs are logged with their secrets redacted.
    loggerInstance: deps.logger.child({}, { serializers: logSerializers }),
    bodyLimit: LIMITS.httpBodyBytes,
    // The router's own refusals (a malformed %-escape, a parameter over its length limit) answer
    // in the API's shape like every other error, with the router's status (400, 414).
    frameworkErrors: (error, _request, reply) => {
      const status = typeof error.statusCode === 'number' ? error.statusCode : 400;
      const code = codeOfStatus(status);
      const message =
        error.code === 'FST_ERR_BAD_URL'
          ? 'the URL is malformed (an invalid %-escape)'
          : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
            ? 'a path parameter is too long'
            : 'the request could not be routed';
      // The generic reply type of this option admits no body; it is an ordinary reply.
      void (reply as FastifyReply).code(status).send(apiError(code, message));
    },
    // Refusals Node's HTTP parser makes before there is a request (oversized headers, garbage).
    clientErrorHandler,
    // A request id from the load balancer is kept (and logged with every line of the request);
    // otherwise each request gets a fresh one. Either way the answer carries it back.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
  });
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  await app.register(websocket, {
    options: { maxPayload: LIMITS.wsMessageBytes },
    // Shutting down: every socket is told to reconnect elsewhere at once (clients honour the code).
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(WS_CLOSE.draining, 'server draining');
      this.websocketServer.close(() => done());
    },
    // Oversized or malformed frames are the client's fault: ws closes them (1009/1002).
    errorHandler: (error, socket, request) => {
      request.log.debug({ err: error }, 'websocket protocol error');
      socket.terminate();
    },
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ServiceError || error instanceof HttpError) {
      return reply.code(STATUS_OF[error.code]).send(apiError(error.code, error.message, error.issues));
    }
    const status =
      typeof error === 'object' && error !== null && 'statusCode' in error ? Number(error.statusCode) : 500;
    const code = codeOfStatus(status);
    if (code === 'internal') request.log.error(error, 'request failed');
    const message = code === 'internal' || !(error instanceof Error) ? 'internal error' : error.message;
    return reply.code(STATUS_OF[code]).send(apiError(code, message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(apiError('not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`)),
  );

  const openapi = openApiDocument(deps.version);
  app.get(SPECIAL_PATHS.openapi, async () => openapi);
  registerOperations(app, deps.services, deps.metrics);
  app.websocketServer.on('connection', (socket: WebSocket) => {
    deps.metrics.sockets.inc();
    socket.once('close', () => deps.metrics.sockets.dec());
  });
  const invoke = registerRoutes(app, deps.services, { rateLimits: deps.config.rateLimits });
  registerWebSocket(app, deps.services, {
    signInPerMinute: deps.config.rateLimits.signInPerMinute,
    invoke,
    metrics: deps.metrics,
  });
  registerPageSocket(app, deps.services, { perMinute: deps.config.rateLimits.messagesPerMinute });
  registerWebhook(app, deps.services);
  registerLinkedHttp(app, deps.services);
  registerSsoCallback(app, deps.services);
  registerScim(app, deps.services, { perMinute: deps.config.rateLimits.scimPerMinute });
  registerAuditExport(app, deps.services);
  registerTranscriptExport(app, deps.services);
  registerRecordingMedia(app, deps.services);
  registerChatFiles(app, deps.services);
  registerRegistration(app, deps.services, { signInPerMinute: deps.config.rateLimits.signInPerMinute });
  registerWeb(app, deps.services, {
    livekitUrl: deps.config.livekit.wsUrl,
    ...(deps.config.webAppDir === undefined ? {} : { webAppDir: deps.config.webAppDir }),
  });
  return app;
}

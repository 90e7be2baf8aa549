import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';

/** Builds the HTTP + WebSocket app. No side effects until the caller listens. */
export function buildApp(config: Config): FastifyInstance {
  const app = Fastify({ logger: { level: 'info' } });
  app.get('/healthz', async () => ({ ok: true, livekit: config.livekit.wsUrl }));
  return app;
}

import { SPECIAL_PATHS } from '@tandem/shared';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Services } from '../services/index.ts';

/**
 * What operators watch, one registry per server (tests run several in one process): HTTP
 * requests and their latency by route, routes called on sockets likewise, open WebSockets, and how long committed chat events take
 * to reach other instances (fan-out lag, from commit to arrival on the bus).
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tandem_' });
  return {
    registry,
    requests: new Counter({
      name: 'tandem_http_requests_total',
      help: 'HTTP requests answered, by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'tandem_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    calls: new Counter({
      name: 'tandem_socket_calls_total',
      help: 'Routes called on a WebSocket (chat writes), by route and outcome (ok or the error code)',
      labelNames: ['route', 'outcome'] as const,
      registers: [registry],
    }),
    callLatency: new Histogram({
      name: 'tandem_socket_call_duration_seconds',
      help: 'Time to answer a route called on a WebSocket, from its turn on the socket to its answer',
      labelNames: ['route'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    sockets: new Gauge({
      name: 'tandem_websockets_open',
      help: 'WebSocket connections open on this instance',
      registers: [registry],
    }),
    fanoutLag: new Histogram({
      name: 'tandem_fanout_lag_seconds',
      help: 'From a chat event committed on another instance to its arrival here over the bus',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * `/readyz` and `/metrics` (beside `/healthz` in the API table), and the request hook that
 * counts and times every request. Draining (SIGTERM) makes the instance unready at once, so a
 * load balancer stops sending it new connections while it finishes what is in flight.
 */
export function registerOperations(app: FastifyInstance, s: Services, metrics: Metrics): void {
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route, status: reply.statusCode });
    metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.get(SPECIAL_PATHS.ready, async (_request, reply) => {
    const [h, redis] = await Promise.all([s.health(), s.cluster.ping()]);
    const ready = !draining && h.database && h.livekit && redis;
    return reply
      .code(ready ? 200 : 503)
      .send({ ready, draining, database: h.database, redis: s.cluster.shared ? redis : null, livekit: h.livekit });
  });
  app.get(SPECIAL_PATHS.metrics, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}

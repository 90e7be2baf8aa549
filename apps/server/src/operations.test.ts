import { SPECIAL_PATHS, WS_CLOSE } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectWs, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

describe('operations: readiness, metrics, request ids and draining', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(livekit);
  });
  afterAll(() => server?.close());

  it('is ready while its database and LiveKit answer, and says there is no Redis to need', async () => {
    const reply = await server.api.raw('GET', SPECIAL_PATHS.ready);
    expect(reply.status).toBe(200);
    expect(await reply.json()).toEqual({ ready: true, draining: false, database: true, redis: null, livekit: true });
  });

  it('keeps a request id it is given, makes one otherwise, and answers with it', async () => {
    const given = await server.api.raw('GET', '/healthz', { headers: { 'x-request-id': 'lb-1234' } });
    expect(given.headers.get('x-request-id')).toBe('lb-1234');
    const made = await server.api.raw('GET', '/healthz');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts requests by route and open sockets in Prometheus format', async () => {
    const owner = await signUp(server.api, 'metrics-owner');
    const socket = await connectWs(server.url, owner.tokens.accessToken);
    const reply = await server.api.raw('GET', SPECIAL_PATHS.metrics);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await reply.text();
    expect(text).toMatch(/tandem_http_requests_total\{method="POST",route="\/auth\/signup",status="201"\} 1/);
    expect(text).toMatch(
      /tandem_http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/auth\/signup"\}/,
    );
    expect(text).toMatch(/^tandem_websockets_open 1$/m);
    socket.close();
    await socket.closed;
  });

  it('tells every socket to reconnect elsewhere when it shuts down', async () => {
    const draining = await startTestServer(livekit);
    const owner = await signUp(draining.api, 'drain-owner');
    const socket = await connectWs(draining.url, owner.tokens.accessToken);
    await draining.close();
    expect(await socket.closed).toBe(WS_CLOSE.draining);
  });
});

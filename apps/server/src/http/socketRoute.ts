import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';

/**
 * A WebSocket route whose sockets keep nothing of their upgrade while they live (the chat and
 * page sockets). An upgrade's
 * HTTP response is never written (`ws` answers on the socket itself), yet the socket would keep
 * it, and with it the request and its headers; and @fastify/websocket's error listener keeps
 * Fastify's request and reply. The response is detached before the upgrade, and the listener is
 * replaced by one that does what app.ts's `errorHandler` does (a malformed or oversized frame is
 * the client's fault): about 3 KiB of heap a socket.
 */
export function socketRoute(
  app: FastifyInstance,
  path: string,
  handle: (socket: WebSocket, request: FastifyRequest) => void,
): void {
  function socketError(this: WebSocket, error: Error): void {
    app.log.debug({ err: error }, 'websocket protocol error');
    this.terminate();
  }
  app.get(
    path,
    {
      websocket: true,
      preHandler: (request, reply, done) => {
        if (request.ws) reply.raw.detachSocket(request.raw.socket);
        done();
      },
    },
    (socket: WebSocket, request) => {
      socket.removeAllListeners('error').on('error', socketError);
      handle(socket, request);
    },
  );
}

import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { issuesOf, type ApiError, type ErrorCode } from '@tandem/shared';
import type { z } from 'zod';

export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  insufficient_scope: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
  sso_required: 403,
  link_revoked: 403,
};

/** Thrown by the HTTP layer itself (validation, auth header, rate limit). */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ApiError['error']['issues'],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const invalid = (where: string, error: z.ZodError): HttpError =>
  new HttpError('bad_request', `invalid ${where}`, issuesOf(error));

export const apiError = (code: ErrorCode, message: string, issues?: ApiError['error']['issues']): ApiError => ({
  error: { code, message, ...(issues === undefined ? {} : { issues }) },
});

/** Fastify's own errors (body parsing, size, media type) mapped onto our codes. */
export function codeOfStatus(status: number): ErrorCode {
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 429) return 'rate_limited';
  if (status === 404) return 'not_found';
  if (status >= 400 && status < 500) return 'bad_request';
  return 'internal';
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers over the limit, a
 * malformed request line); they answer in the API's shape too, then the connection closes.
 */
export function clientErrorHandler(error: Error & { readonly code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'bad_request', 'request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'bad_request', 'the request took too long to arrive']
        : [400, 'bad_request', 'malformed HTTP request'];
  const body = JSON.stringify(apiError(code, message));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

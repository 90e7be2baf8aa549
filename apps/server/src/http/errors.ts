import { issuesOf, type ApiError, type ErrorCode } from '@tandem/shared';
import type { z } from 'zod';

export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
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
  if (status === 429) return 'rate_limited';
  if (status === 404) return 'not_found';
  if (status >= 400 && status < 500) return 'bad_request';
  return 'internal';
}

import type { ApiError, ErrorCode } from '@tandem/shared';

/**
 * A refusal by the rules; the HTTP and WebSocket layers turn it into `{ error: { code, message } }`
 * (with `issues` over HTTP when the rule names the fields it refused).
 */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ApiError['error']['issues'],
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** Another organisation's things answer exactly like things that do not exist. */
export const notFound = (what: string): ServiceError => new ServiceError('not_found', `${what} not found`);
export const forbidden = (why: string): ServiceError => new ServiceError('forbidden', why);
export const conflict = (why: string): ServiceError => new ServiceError('conflict', why);
export const badRequest = (why: string, issues?: ApiError['error']['issues']): ServiceError =>
  new ServiceError('bad_request', why, issues);
export const unauthenticated = (why: string): ServiceError => new ServiceError('unauthenticated', why);

export function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw notFound(what);
  return value;
}

import { lazySchema } from './lazySchema.ts';
import { z } from 'zod';

/**
 * Every error any boundary (HTTP, WebSocket, IPC) answers with has this shape, so clients
 * branch on `code`, never on message text.
 */
export const ErrorCodeSchema = lazySchema(() =>
  z.enum([
    'bad_request',
    'unauthenticated',
    'forbidden',
    /** An API key on a route it may not call, or without the scope the route needs (403). */
    'insufficient_scope',
    'not_found',
    'conflict',
    'payload_too_large',
    /** A file of a type the server refuses, or whose content is not what it is declared as (415). */
    'unsupported_media_type',
    'rate_limited',
    'unavailable',
    'internal',
    /** Password sign-in for an address whose organisation requires single sign-on (403). */
    'sso_required',
    /** A webinar registrant's join link a host revoked (403). */
    'link_revoked',
  ]),
);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ApiErrorSchema = lazySchema(() =>
  z.object({
    error: z.object({
      code: ErrorCodeSchema,
      message: z.string(),
      /** Field-level problems for bad_request: path → message. */
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  }),
);
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** Turns zod issues into the `issues` list of an ApiError. */
export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/**
 * A failure with a machine-readable code, as any client of ours reports it: the HTTP client, the
 * desktop's services, the IPC envelope. `unavailable` means the server could not be reached.
 */
export class CodedError extends Error {
  readonly code: ErrorCode;
  readonly issues: ApiError['error']['issues'];
  /** The HTTP status when the server answered; undefined when it was not reached. */
  readonly status: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { status?: number; issues?: ApiError['error']['issues'] } = {},
  ) {
    super(message);
    this.name = 'CodedError';
    this.code = code;
    this.issues = options.issues;
    this.status = options.status;
  }
}

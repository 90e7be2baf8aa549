import type { ErrorCode, IpcError } from '@tandem/shared';

/**
 * A failure a service reports to the renderer: it becomes the IPC error envelope as is.
 * `unavailable` means the server could not be reached; the caller may retry later.
 */
export class ServiceError extends Error {
  readonly code: ErrorCode;
  readonly issues: IpcError['issues'];
  /** The HTTP status when the server answered; undefined when it was not reached. */
  readonly status: number | undefined;

  constructor(code: ErrorCode, message: string, options: { status?: number; issues?: IpcError['issues'] } = {}) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.issues = options.issues;
    this.status = options.status;
  }
}

export function isUnavailable(error: unknown): boolean {
  return error instanceof ServiceError && error.code === 'unavailable';
}

/** Runs network work behind a cache read: being offline is expected there, anything else is reported. */
export function inBackground(work: Promise<unknown>, onError?: (error: unknown) => void): void {
  void work.catch((error: unknown) => {
    if (!isUnavailable(error)) onError?.(error);
  });
}

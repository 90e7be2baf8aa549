import { CodedError } from '@tandem/shared';

/**
 * A failure a service reports to the renderer: it becomes the IPC error envelope as is.
 * `unavailable` means the server could not be reached; the caller may retry later. The one coded
 * error of the shared HTTP client, so what the server refused passes through unchanged.
 */
export { CodedError as ServiceError };

export function isUnavailable(error: unknown): boolean {
  return error instanceof CodedError && error.code === 'unavailable';
}

/** Runs network work behind a cache read: being offline is expected there, anything else is reported. */
export function inBackground(work: Promise<unknown>, onError?: (error: unknown) => void): void {
  void work.catch((error: unknown) => {
    if (!isUnavailable(error)) onError?.(error);
  });
}

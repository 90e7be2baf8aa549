import { createApiClient as createHttpApiClient, type ApiClient } from '@tandem/shared';

export type { ApiClient, ApiFile, CallInput } from '@tandem/shared';

/** How long a request may take before the server counts as unreachable. */
const TIMEOUT_MS = 10_000;

/** The coordination server over HTTP (the shared client) with Node's fetch, or a test's. */
export function createApiClient(baseUrl: string, fetchImpl: typeof fetch = fetch): ApiClient {
  return createHttpApiClient(baseUrl, { fetch: fetchImpl, timeout: () => AbortSignal.timeout(TIMEOUT_MS) });
}

import type { z } from 'zod';
import { ProviderError, type ProviderId } from './providerError.ts';
import type { TokenSource } from './tokenSource.ts';

/** The seams every adapter shares; tests pass a recording `sleep` instead of waiting. */
export type HttpRuntime = {
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** Attempts per call, the first included, for 429 and 503 answers. */
  readonly maxAttempts: number;
  /** A longer Retry-After fails at once with retryAfterMs, so the caller schedules the retry. */
  readonly maxRetryWaitMs: number;
  /**
   * How long one request may take, its body included. A provider that accepts the connection and
   * never answers would otherwise hold the caller's HTTP request (and its token lock) forever.
   */
  readonly timeoutMs: number;
};

export const defaultHttpRuntime: HttpRuntime = {
  fetch: (input, init) => fetch(input, init),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  maxAttempts: 3,
  maxRetryWaitMs: 30_000,
  timeoutMs: 15_000,
};

/** First wait when a 429 or 503 carries no Retry-After; doubled on each further attempt. */
const FALLBACK_RETRY_MS = 1_000;
/** Google answers some quota refusals with 403 instead of 429 (Calendar API "Handle errors"). */
const GOOGLE_QUOTA_REASON = /"reason"\s*:\s*"(?:rateLimitExceeded|userRateLimitExceeded)"/;

export type ProviderRequest = {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  /** An object is sent as JSON, URLSearchParams as a form. */
  readonly body?: unknown;
};

/** Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

function encodeBody(body: unknown): { body?: string; contentType?: string } {
  if (body === undefined) return {};
  if (body instanceof URLSearchParams) {
    return { body: body.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

/** The connection failed, or the request (headers or body) outlived `runtime.timeoutMs`. */
function transportFailure(
  provider: ProviderId,
  runtime: HttpRuntime,
  request: ProviderRequest,
  error: unknown,
): ProviderError {
  const reason =
    error instanceof Error && error.name === 'TimeoutError'
      ? `no answer within ${runtime.timeoutMs} ms`
      : error instanceof Error
        ? error.message
        : String(error);
  return new ProviderError(provider, 'unavailable', `${request.method} ${request.url.pathname} failed: ${reason}`);
}

async function send(provider: ProviderId, runtime: HttpRuntime, request: ProviderRequest, bearer?: string) {
  const { body, contentType } = encodeBody(request.body);
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (contentType !== undefined) headers['content-type'] = contentType;
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
  try {
    // The signal also aborts reading the body, so a body that stalls half-way times out too.
    const signal = AbortSignal.timeout(runtime.timeoutMs);
    return await runtime.fetch(request.url, { method: request.method, headers, body, signal });
  } catch (error) {
    throw transportFailure(provider, runtime, request, error);
  }
}

async function parseJson<S extends z.ZodType>(
  provider: ProviderId,
  runtime: HttpRuntime,
  request: ProviderRequest,
  response: Response,
  schema: S,
): Promise<z.infer<S>> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw transportFailure(provider, runtime, request, error);
  }
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ProviderError(provider, 'bad_response', `${request.method} ${request.url.pathname}: body is not JSON`, {
      status: response.status,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ProviderError(
      provider,
      'bad_response',
      `${request.method} ${request.url.pathname}: unexpected ${where}`,
      {
        status: response.status,
      },
    );
  }
  return parsed.data;
}

function failureFor(provider: ProviderId, request: ProviderRequest, status: number, retryAfterMs?: number) {
  const what = `${request.method} ${request.url.pathname} answered ${status}`;
  const details = { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  if (status === 401 || status === 403) return new ProviderError(provider, 'unauthorized', what, details);
  if (status === 404) return new ProviderError(provider, 'not_found', what, details);
  if (status === 429) return new ProviderError(provider, 'rate_limited', what, details);
  if (status >= 500) return new ProviderError(provider, 'unavailable', what, details);
  return new ProviderError(provider, 'bad_response', what, details);
}

/**
 * One provider call with the shared rules: 429 and 503 are retried after Retry-After (bounded
 * attempts and wait), a 401 with a token source refreshes the token once and retries, every
 * other failure becomes a ProviderError, and the body is validated with `schema`.
 */
export async function providerCall<S extends z.ZodType>(
  provider: ProviderId,
  runtime: HttpRuntime,
  request: ProviderRequest,
  schema: S,
  tokens?: TokenSource,
): Promise<z.infer<S>> {
  let refreshed = false;
  for (let attempt = 1; ; attempt += 1) {
    const bearer = tokens === undefined ? undefined : await tokens.get();
    const response = await send(provider, runtime, request, bearer);
    if (response.ok) return parseJson(provider, runtime, request, response, schema);
    const errorBody = await response.text().catch(() => '');

    if (response.status === 401 && tokens !== undefined && bearer !== undefined && !refreshed) {
      refreshed = true;
      tokens.invalidate(bearer);
      continue;
    }
    const throttled = response.status === 429 || (response.status === 403 && GOOGLE_QUOTA_REASON.test(errorBody));
    if (throttled || response.status === 503) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), runtime.now());
      const waitMs = retryAfterMs ?? FALLBACK_RETRY_MS * 2 ** (attempt - 1);
      if (attempt < runtime.maxAttempts && waitMs <= runtime.maxRetryWaitMs) {
        await runtime.sleep(waitMs);
        continue;
      }
      throw failureFor(provider, request, throttled ? 429 : response.status, waitMs);
    }
    throw failureFor(provider, request, response.status);
  }
}

/** A base URL plus the shared rules, so an adapter states only paths and schemas. */
export type ProviderHttp = {
  call<S extends z.ZodType>(
    schema: S,
    method: ProviderRequest['method'],
    path: string,
    options?: {
      readonly query?: Readonly<Record<string, string>>;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    },
  ): Promise<z.infer<S>>;
};

export function providerHttp(
  provider: ProviderId,
  baseUrl: string,
  tokens: TokenSource,
  runtime: HttpRuntime = defaultHttpRuntime,
): ProviderHttp {
  return {
    call(schema, method, path, options = {}) {
      const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
      const url = new URL(path.replace(/^\//, ''), base);
      // Paging links are absolute; our bearer token must never follow one to another host.
      if (url.origin !== base.origin) {
        return Promise.reject(
          new ProviderError(provider, 'bad_response', `refusing to follow a link to ${url.origin}`),
        );
      }
      for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, value);
      return providerCall(
        provider,
        runtime,
        { method, url, body: options.body, ...(options.headers === undefined ? {} : { headers: options.headers }) },
        schema,
        tokens,
      );
    },
  };
}

import type { z } from 'zod';
import { ApiErrorSchema, CodedError } from '../errors.ts';
import { ROUTES, type RouteName, type RouteResponse } from './routes.ts';

type Route<N extends RouteName> = (typeof ROUTES)[N];
type PartOf<R, K extends string> = R extends { readonly [P in K]: infer S extends z.ZodType } ? z.input<S> : undefined;

/** What one call sends: only the parts the route declares. */
export type CallInput<N extends RouteName> = {
  readonly params?: PartOf<Route<N>, 'params'>;
  readonly query?: PartOf<Route<N>, 'query'>;
  readonly body?: PartOf<Route<N>, 'body'>;
};

/** A file the server answers (an export): its text, media type and suggested name. */
export type ApiFile = { readonly content: string; readonly mimeType: string; readonly filename: string };

export type ApiClient = {
  readonly baseUrl: string;
  call<N extends RouteName>(name: N, input?: CallInput<N>, accessToken?: string): Promise<RouteResponse<N>>;
  /** GET of a path outside the route table that answers a file (SPECIAL_PATHS), errors as `call`'s. */
  file(path: string, query: Readonly<Record<string, unknown>>, accessToken?: string): Promise<ApiFile>;
};

/** The part of `fetch` the client uses: Node's and the browser's both fit. */
export type FetchLike<Signal> = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string | undefined; signal: Signal },
) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

const queryString = (query: Readonly<Record<string, unknown>>): string => {
  const pairs = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
};

/** `attachment; filename="audit.csv"` → `audit.csv`. */
const filenameOf = (disposition: string | null): string =>
  /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? 'download';

/**
 * The coordination server over HTTP, typed by the shared route table, for the desktop's main
 * process and the browser client alike. Success bodies are validated with the route's schema;
 * failures become a CodedError carrying the server's code, or `unavailable` when it could not be
 * reached at all. `timeout` makes each request's abort signal (the platform's AbortSignal.timeout).
 */
export function createApiClient<Signal>(
  baseUrl: string,
  io: { readonly fetch: FetchLike<Signal>; readonly timeout: () => Signal },
): ApiClient {
  const root = baseUrl.replace(/\/+$/, '');

  /** One request; a refusal becomes a CodedError with the server's code. */
  async function request(
    method: string,
    pathAndQuery: string,
    accessToken: string | undefined,
    body: unknown,
  ): Promise<{ text: string; response: Awaited<ReturnType<FetchLike<Signal>>> }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (accessToken !== undefined) headers['authorization'] = `Bearer ${accessToken}`;
    if (method !== 'GET') headers['content-type'] = 'application/json';
    let response: Awaited<ReturnType<FetchLike<Signal>>>;
    try {
      response = await io.fetch(`${root}${pathAndQuery}`, {
        method,
        headers,
        body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
        signal: io.timeout(),
      });
    } catch (error) {
      throw new CodedError('unavailable', `server unreachable: ${error instanceof Error ? error.message : error}`);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      const failure = ApiErrorSchema.safeParse(text === '' ? undefined : safeJson(text));
      if (failure.success) {
        const { code, message, issues } = failure.data.error;
        throw new CodedError(code, message, { status: response.status, ...(issues ? { issues } : {}) });
      }
      throw new CodedError(response.status >= 500 ? 'unavailable' : 'internal', `HTTP ${response.status}`, {
        status: response.status,
      });
    }
    return { text, response };
  }

  return {
    baseUrl: root,
    async call(name, input = {}, accessToken) {
      const route: Route<RouteName> = ROUTES[name];
      const params = (input.params ?? {}) as Readonly<Record<string, string>>;
      const path = route.path.replace(/:([A-Za-z]+)/g, (_, key: string) => {
        const value = params[key];
        if (value === undefined) throw new Error(`${name}: missing path parameter ${key}`);
        return encodeURIComponent(value);
      });
      const query = queryString((input.query ?? {}) as Readonly<Record<string, unknown>>);
      const { text } = await request(route.method, `${path}${query}`, accessToken, input.body);
      const json: unknown = text === '' ? undefined : safeJson(text);
      const parsed = route.response.safeParse(json);
      if (!parsed.success) throw new CodedError('internal', `${name}: the server answered an unexpected body`);
      return parsed.data as RouteResponse<typeof name>;
    },

    async file(path, query, accessToken) {
      const { text, response } = await request('GET', `${path}${queryString(query)}`, accessToken, undefined);
      return {
        content: text,
        mimeType: response.headers.get('content-type') ?? 'application/octet-stream',
        filename: filenameOf(response.headers.get('content-disposition')),
      };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

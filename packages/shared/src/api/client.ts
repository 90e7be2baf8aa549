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

export type ApiClient = {
  readonly baseUrl: string;
  call<N extends RouteName>(name: N, input?: CallInput<N>, accessToken?: string): Promise<RouteResponse<N>>;
};

/** The part of `fetch` the client uses: Node's and the browser's both fit. */
export type FetchLike<Signal> = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string | undefined; signal: Signal },
) => Promise<{ readonly ok: boolean; readonly status: number; text(): Promise<string> }>;

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
      const query = Object.entries((input.query ?? {}) as Readonly<Record<string, unknown>>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join('&');
      const headers: Record<string, string> = { accept: 'application/json' };
      if (accessToken !== undefined) headers['authorization'] = `Bearer ${accessToken}`;
      let body: string | undefined;
      if (route.method !== 'GET') {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(input.body ?? {});
      }

      let response: Awaited<ReturnType<FetchLike<Signal>>>;
      try {
        response = await io.fetch(`${root}${path}${query === '' ? '' : `?${query}`}`, {
          method: route.method,
          headers,
          body,
          signal: io.timeout(),
        });
      } catch (error) {
        throw new CodedError('unavailable', `server unreachable: ${error instanceof Error ? error.message : error}`);
      }
      const text = await response.text().catch(() => '');
      const json: unknown = text === '' ? undefined : safeJson(text);
      if (!response.ok) {
        const failure = ApiErrorSchema.safeParse(json);
        if (failure.success) {
          const { code, message, issues } = failure.data.error;
          throw new CodedError(code, message, { status: response.status, ...(issues ? { issues } : {}) });
        }
        throw new CodedError(response.status >= 500 ? 'unavailable' : 'internal', `HTTP ${response.status}`, {
          status: response.status,
        });
      }
      const parsed = route.response.safeParse(json);
      if (!parsed.success) throw new CodedError('internal', `${name}: the server answered an unexpected body`);
      return parsed.data as RouteResponse<typeof name>;
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

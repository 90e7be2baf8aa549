import type { FastifyRequest } from 'fastify';

/**
 * Query parameters that are credentials wherever they appear: an OAuth code and state (and what
 * RFC 6749/7636 send beside them), bearer-ish tokens.
 */
const SECRET_PARAMS = new Set(['code', 'state', 'code_verifier', 'token', 'access_token', 'refresh_token', 'id_token']);
/**
 * Path segments that are credentials: the calendar feed's token (`/calendar/<token>.ics`), a
 * recording link's token (`/recordings/<token>`), a chat file link's (`/files/<token>`).
 */
const SECRET_PATHS: readonly RegExp[] = [
  /^(\/calendar\/)[^/?]+(\.ics)$/,
  /^(\/recordings\/)[^/?]+()$/,
  /^(\/files\/)[^/?]+()$/,
];
const REDACTED = '[redacted]';

/** The request URL as it may be written to a log: secrets in its path and query replaced. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const pathPart = at === -1 ? url : url.slice(0, at);
  const query = at === -1 ? undefined : url.slice(at + 1);
  let path = pathPart;
  for (const pattern of SECRET_PATHS) path = path.replace(pattern, `$1${REDACTED}$2`);
  if (query === undefined) return path;
  const kept = query
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0] ?? '';
      let decoded: string;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        decoded = name;
      }
      return SECRET_PARAMS.has(decoded.toLowerCase()) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${path}?${kept}`;
}

/**
 * Fastify's request serializer with the URL redacted. Every request line ("incoming request",
 * errors logged with the request) goes through it, so a log never carries a feed token or an
 * OAuth code; the route still receives the real URL.
 */
export const logSerializers = {
  req(request: FastifyRequest) {
    return {
      method: request.method,
      url: redactUrl(request.url),
      version: request.headers['accept-version'],
      host: request.host,
      remoteAddress: request.ip,
      remotePort: request.socket?.remotePort,
    };
  },
};

/**
 * A minimal URL splitter for pasted meeting links. packages/shared compiles without DOM or Node
 * types, so there is no `URL` global to lean on; meeting links only need scheme, host, path
 * segments and query parameters, which a single RFC 3986 regex gives.
 */

export type SplitUrl = {
  /** Lower-cased. */
  readonly scheme: string;
  /** Lower-cased, without port or credentials; '' for `msteams:/l/…`-style links. */
  readonly host: string;
  /** Decoded path segments, empty ones dropped; null when one does not decode. */
  readonly segments: readonly string[] | null;
  /** Decoded query parameters; the first occurrence of a name wins. */
  readonly query: ReadonlyMap<string, string>;
};

const RFC3986 = /^([a-z][a-z0-9+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#.*)?$/i;

export function splitUrl(link: string): SplitUrl | null {
  const match = RFC3986.exec(link);
  if (match === null) return null;
  const authority = match[2] ?? '';
  const host = authority
    .replace(/^[^@]*@/, '')
    .replace(/:\d*$/, '')
    .toLowerCase();
  const rawSegments = (match[3] ?? '').split('/').filter((segment) => segment !== '');
  const decoded = rawSegments.map(decode);
  const query = new Map<string, string>();
  for (const pair of (match[4] ?? '').split('&')) {
    if (pair === '') continue;
    const [name = '', value = ''] = pair.split(/=(.*)/s);
    const key = decode(name.replace(/\+/g, ' '));
    const text = decode(value.replace(/\+/g, ' '));
    if (key !== null && text !== null && !query.has(key)) query.set(key, text);
  }
  return {
    scheme: (match[1] ?? '').toLowerCase(),
    host,
    segments: decoded.every((segment) => segment !== null) ? (decoded as string[]) : null,
    query,
  };
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

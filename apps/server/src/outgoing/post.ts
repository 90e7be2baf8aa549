import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './target.ts';

/**
 * POSTs `body` to `url`, connecting to `to` (the address `resolveTarget` checked) whatever DNS
 * says now; TLS still checks the certificate against the URL's host name. No redirects are
 * followed and no connection is reused. Answers the response status; throws on a network error
 * or when the whole exchange takes longer than `timeoutMs`.
 */
export function postPinned(
  url: URL,
  to: ResolvedAddress,
  body: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<number> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all === true) callback(null, [{ address: to.address, family: to.family }]);
    else callback(null, to.address, to.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        lookup: pinned,
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        // Only the status matters; the body is read to its end (and dropped) within the timeout.
        response.on('error', reject);
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.resume();
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

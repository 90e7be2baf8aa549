import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress, isAllowedTarget } from './addresses.ts';

/** A resolved address to connect to. */
export type ResolvedAddress = { readonly address: string; readonly family: 4 | 6 };

/** Name resolution, all addresses: the system's by default; tests of rebinding pass their own. */
export type Lookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemLookup: Lookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

export type TargetPolicy = {
  /** The operator's `WEBHOOK_ALLOW_PRIVATE` (or `SSO_ALLOW_LOOPBACK_HTTP`): loopback and private networks, for tests. */
  readonly allowPrivate: boolean;
  readonly lookup: Lookup;
};

/** A target the server will not send to: a refusal, not a failure worth retrying. */
export class TargetRefused extends Error {
  override readonly name = 'TargetRefused';
}

/** A URL people may register: http(s), with a host, without credentials. */
export function checkTargetForm(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused('not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TargetRefused('only http and https URLs');
  if (url.username !== '' || url.password !== '') throw new TargetRefused('no user name or password in the URL');
  if (url.hostname === '') throw new TargetRefused('the URL has no host');
  return url;
}

/**
 * Where a request to `url` may go: every address the host resolves to must be allowed (a name
 * with one private address among public ones is refused), and the request is then made to the
 * address answered here, never resolved again, so a DNS answer that changes between the check and
 * the connection (rebinding) cannot send it elsewhere.
 */
export function resolveTarget(url: URL, policy: TargetPolicy): Promise<ResolvedAddress> {
  return resolveHost(url.hostname.replace(/^\[(.*)\]$/, '$1'), policy);
}

/** `resolveTarget` for a bare host name or address (a SIP address's host). */
export async function resolveHost(host: string, policy: TargetPolicy): Promise<ResolvedAddress> {
  let addresses: readonly ResolvedAddress[];
  if (isIP(host) !== 0) {
    addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await policy.lookup(host);
    } catch (error) {
      throw new TargetRefused(
        `${host} does not resolve (${error instanceof Error && 'code' in error ? String(error.code) : 'no answer'})`,
      );
    }
  }
  if (addresses.length === 0) throw new TargetRefused(`${host} does not resolve`);
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    if (kind === null || !isAllowedTarget(kind, policy.allowPrivate)) {
      const what = kind === null ? 'not an address it can judge' : `a ${kind.replace('_', '-')} address`;
      const subject = host === address ? address : `${host} resolves to ${address}, which`;
      throw new TargetRefused(`${subject} is ${what}: the server sends only to public addresses`);
    }
  }
  const [first] = addresses;
  if (first === undefined) throw new TargetRefused(`${host} does not resolve`);
  return first;
}

import { Resolver } from 'node:dns/promises';

/** The TXT records of a name, each record's strings joined (RFC 7208 §3.3); none: an empty list. */
export type TxtLookup = (name: string) => Promise<string[]>;

/** Thrown when DNS could not answer (timeout, refused, server failure): try again later. */
export class DnsUnavailable extends Error {
  constructor(readonly dnsCode: string) {
    super(`DNS could not answer (${dnsCode})`);
    this.name = 'DnsUnavailable';
  }
}

/** Answers that mean "there is no such record", as opposed to "DNS did not answer". */
const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND', 'ENONAME']);

/**
 * TXT lookups through `servers` (`ip` or `ip:port`; the system's resolvers when empty). Each
 * lookup gives up after about 2 × 2.5 s.
 */
export function txtLookup(servers: readonly string[]): TxtLookup {
  const resolver = new Resolver({ timeout: 2500, tries: 2 });
  if (servers.length > 0) resolver.setServers([...servers]);
  return async (name) => {
    try {
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && NO_RECORD.has(code)) return [];
      throw new DnsUnavailable(typeof code === 'string' ? code : 'unknown');
    }
  };
}

import { isIP } from 'node:net';

/**
 * What kind of address an outgoing request would reach. Only `public` addresses are webhook
 * targets; `loopback`, `private` and `shared` (carrier-grade NAT) ones only when the operator
 * allows them for tests; the rest never (link-local holds the cloud metadata service,
 * 169.254.169.254 and fd00:ec2::254 aside, which is `private`).
 */
export type AddressKind =
  'public' | 'loopback' | 'private' | 'shared' | 'link_local' | 'unspecified' | 'multicast' | 'reserved';

type Range = readonly [base: bigint, prefix: number, kind: AddressKind];

function v4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function v6(text: string): bigint | null {
  let address = text.toLowerCase().replace(/%.*$/, '');
  // A trailing dotted quad (::ffff:1.2.3.4) is two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (quad?.[1] !== undefined) {
    const value = v4(quad[1]);
    if (value === null) return null;
    address = `${address.slice(0, -quad[1].length)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : (halves[0] ?? '').split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : (halves[1] ?? '').split(':')) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(`0x${group}`);
  }
  return value;
}

const V4_RANGES: readonly Range[] = [
  [v4('0.0.0.0') ?? 0n, 8, 'unspecified'],
  [v4('10.0.0.0') ?? 0n, 8, 'private'],
  [v4('100.64.0.0') ?? 0n, 10, 'shared'],
  [v4('127.0.0.0') ?? 0n, 8, 'loopback'],
  [v4('169.254.0.0') ?? 0n, 16, 'link_local'],
  [v4('172.16.0.0') ?? 0n, 12, 'private'],
  [v4('192.0.0.0') ?? 0n, 24, 'reserved'],
  [v4('192.0.2.0') ?? 0n, 24, 'reserved'],
  [v4('192.88.99.0') ?? 0n, 24, 'reserved'],
  [v4('192.168.0.0') ?? 0n, 16, 'private'],
  [v4('198.18.0.0') ?? 0n, 15, 'reserved'],
  [v4('198.51.100.0') ?? 0n, 24, 'reserved'],
  [v4('203.0.113.0') ?? 0n, 24, 'reserved'],
  [v4('224.0.0.0') ?? 0n, 4, 'multicast'],
  [v4('240.0.0.0') ?? 0n, 4, 'reserved'],
];

const V6_RANGES: readonly Range[] = [
  [v6('::') ?? 0n, 128, 'unspecified'],
  [v6('::1') ?? 0n, 128, 'loopback'],
  [v6('100::') ?? 0n, 64, 'reserved'],
  [v6('2001:db8::') ?? 0n, 32, 'reserved'],
  [v6('64:ff9b:1::') ?? 0n, 48, 'reserved'],
  [v6('fc00::') ?? 0n, 7, 'private'],
  [v6('fe80::') ?? 0n, 10, 'link_local'],
  [v6('fec0::') ?? 0n, 10, 'private'],
  [v6('ff00::') ?? 0n, 8, 'multicast'],
  // IPv4-compatible (deprecated): anything else in ::/96.
  [0n, 96, 'reserved'],
];

const inRange = (value: bigint, bits: number, [base, prefix]: Range): boolean =>
  value >> BigInt(bits - prefix) === base >> BigInt(bits - prefix);

function classifyV4(value: bigint): AddressKind {
  return V4_RANGES.find((range) => inRange(value, 32, range))?.[2] ?? 'public';
}

/**
 * IPv6 forms that carry an IPv4 address reach that address: IPv4-mapped (::ffff:a.b.c.d), the
 * well-known NAT64 prefix (64:ff9b::/96) and 6to4 (2002:AABB:CCDD::/48). They are judged by it.
 */
function embeddedV4(value: bigint): bigint | null {
  if (value >> 32n === 0xffffn) return value & 0xffffffffn;
  if (value >> 32n === (v6('64:ff9b::') ?? 0n) >> 32n) return value & 0xffffffffn;
  if (value >> 112n === 0x2002n) return (value >> 80n) & 0xffffffffn;
  return null;
}

/** The kind of an IP address (IPv4, IPv6, with or without brackets); null when it is not one. */
export function classifyAddress(address: string): AddressKind | null {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(bare.replace(/%.*$/, ''));
  if (family === 4) {
    const value = v4(bare);
    return value === null ? null : classifyV4(value);
  }
  if (family !== 6) return null;
  const value = v6(bare);
  if (value === null) return null;
  const inner = embeddedV4(value);
  if (inner !== null) return classifyV4(inner);
  return V6_RANGES.find((range) => inRange(value, 128, range))?.[2] ?? 'public';
}

/** The kinds an operator may admit for tests (`WEBHOOK_ALLOW_PRIVATE`); never link-local or the rest. */
const ADMITTED_FOR_TESTS: ReadonlySet<AddressKind> = new Set(['loopback', 'private', 'shared']);

export function isAllowedTarget(kind: AddressKind, allowPrivate: boolean): boolean {
  return kind === 'public' || (allowPrivate && ADMITTED_FOR_TESTS.has(kind));
}

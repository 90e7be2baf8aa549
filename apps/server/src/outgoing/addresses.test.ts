import { describe, expect, it } from 'vitest';
import { classifyAddress, isAllowedTarget } from './addresses.ts';

describe('classifyAddress', () => {
  it.each([
    ['93.184.216.34', 'public'],
    ['8.8.8.8', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.100.100.200', 'shared'],
    ['169.254.169.254', 'link_local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['fd00:ec2::254', 'private'],
    ['fc00::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    // IPv4 carried in IPv6 is judged by the IPv4 address it reaches.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link_local'],
    ['::ffff:a9fe:a9fe', 'link_local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:93.184.216.34', 'public'],
    ['64:ff9b::a9fe:a9fe', 'link_local'],
    ['2002:7f00:0001::1', 'loopback'],
    ['::127.0.0.1', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each(['example.com', '', '1.2.3', '1.2.3.256', '::ffff:1.2.3.4.5', 'fe80:::1'])('%j is no address', (text) => {
    expect(classifyAddress(text)).toBeNull();
  });
});

describe('isAllowedTarget', () => {
  it('admits only public addresses unless the operator allows private ones for tests', () => {
    expect(isAllowedTarget('public', false)).toBe(true);
    expect(isAllowedTarget('loopback', false)).toBe(false);
    expect(isAllowedTarget('private', false)).toBe(false);
    expect(isAllowedTarget('loopback', true)).toBe(true);
    expect(isAllowedTarget('private', true)).toBe(true);
  });

  it('never admits link-local (the metadata service), unspecified, multicast or reserved addresses', () => {
    for (const kind of ['link_local', 'unspecified', 'multicast', 'reserved'] as const) {
      expect(isAllowedTarget(kind, true)).toBe(false);
    }
  });
});

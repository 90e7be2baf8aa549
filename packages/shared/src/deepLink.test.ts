import { describe, expect, it } from 'vitest';
import { DEEP_LINK_SHOWN_LENGTH, joinCodeFrom, joinDeepLink, parseDeepLink, shownLink } from './deepLink.ts';

describe('parseDeepLink', () => {
  it('reads the join code of our scheme, whatever the OS launcher appends', () => {
    expect(parseDeepLink('tandem://join/abc-123')).toEqual({ kind: 'join', code: 'abc-123' });
    expect(parseDeepLink('TANDEM://join/abc-123/')).toEqual({ kind: 'join', code: 'abc-123' });
    expect(parseDeepLink('tandem:join/abc-123?from=calendar')).toEqual({ kind: 'join', code: 'abc-123' });
  });

  it('refuses other schemes, other actions and codes that are not codes', () => {
    expect(parseDeepLink('zoommtg://join/abc-123')).toBeNull();
    expect(parseDeepLink('tandem://leave/abc-123')).toBeNull();
    expect(parseDeepLink('tandem://join/../../etc')).toBeNull();
    expect(parseDeepLink('tandem://join/%E0%A4%A')).toBeNull();
    expect(parseDeepLink('tandem://join/ab')).toBeNull();
  });

  it('round-trips with joinDeepLink', () => {
    expect(parseDeepLink(joinDeepLink('Team-Sync-42'))).toEqual({ kind: 'join', code: 'Team-Sync-42' });
  });
});

describe('joinCodeFrom', () => {
  it('accepts a bare code, a deep link and a web join link', () => {
    expect(joinCodeFrom('  xk4-9qz ')).toBe('xk4-9qz');
    expect(joinCodeFrom('tandem://join/xk4-9qz')).toBe('xk4-9qz');
    expect(joinCodeFrom('https://meet.example.org/t/join/xk4-9qz?pwd=1')).toBe('xk4-9qz');
    // The https join links this server hands out (`<public URL>/j/<code>`).
    expect(joinCodeFrom('https://tandem.example.com/j/xk4-9qz')).toBe('xk4-9qz');
  });

  it('refuses anything else', () => {
    expect(joinCodeFrom('https://meet.example.org/xk4-9qz')).toBeNull();
    expect(joinCodeFrom('javascript:alert(1)')).toBeNull();
    expect(joinCodeFrom('hello world')).toBeNull();
  });
});

describe('shownLink', () => {
  it('shows a refused link as text: trimmed, control characters replaced, long ones cut', () => {
    expect(shownLink('  tandem://join/%%%  ')).toBe('tandem://join/%%%');
    expect(shownLink('tandem://join/a\u0000b\nc')).toBe('tandem://join/a\uFFFDb\uFFFDc');
    const long = shownLink(`tandem://join/${'x'.repeat(500)}`);
    expect(long).toHaveLength(DEEP_LINK_SHOWN_LENGTH);
    expect(long.endsWith('…')).toBe(true);
  });
});

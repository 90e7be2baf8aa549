import { describe, expect, it } from 'vitest';
import { connectSources, contentSecurityPolicy, type ConnectTargets } from './csp.ts';
import { decideNavigation, decideWindowOpen } from './navigation.ts';
import { isPermissionGranted } from './permissions.ts';
import { checkServerUrl } from './serverUrl.ts';
import { ownUiOrigins } from './uiOrigin.ts';

const isOwnUi = ownUiOrigins();

const SIGNED_OUT: ConnectTargets = { serverUrl: null, livekitUrls: [] };
const connectSrc = (csp: string): string[] => (/connect-src ([^;]*)/.exec(csp)?.[1] ?? '').split(' ');

describe('content security policy', () => {
  it('forbids inline script, eval, plugins and framing', () => {
    const csp = contentSecurityPolicy({ connect: SIGNED_OUT });
    const script = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    // Only WebAssembly compilation (the bundled noise suppression and segmentation), never eval.
    expect(script).toBe("'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/'unsafe-(inline|eval)'/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('admits the dev server only when one is named', () => {
    expect(contentSecurityPolicy({ connect: SIGNED_OUT })).not.toContain('localhost:5173');
    expect(contentSecurityPolicy({ devOrigin: 'http://localhost:5173', connect: SIGNED_OUT })).toContain(
      'ws://localhost:5173',
    );
  });

  // Issue 13 item 10: connect-src named any https/wss host.
  it('lets the renderer connect only to the signed-in server and the LiveKit URL it hands out', () => {
    const csp = contentSecurityPolicy({
      connect: { serverUrl: 'https://tandem.example.com/base', livekitUrls: ['wss://media.example.com/'] },
    });
    expect(connectSrc(csp)).toEqual([
      "'self'",
      'https://tandem.example.com',
      'wss://media.example.com',
      'https://media.example.com',
    ]);
    expect(connectSrc(csp)).not.toContain('https:');
    expect(connectSrc(csp)).not.toContain('wss:');
  });

  it('signed out, the renderer connects nowhere but itself', () => {
    expect(connectSrc(contentSecurityPolicy({ connect: SIGNED_OUT }))).toEqual(["'self'"]);
  });

  it('admits plain ws/http only on loopback (a development LiveKit), and nothing unparsable', () => {
    expect(
      connectSources({
        serverUrl: 'http://127.0.0.1:8787',
        livekitUrls: ['ws://127.0.0.1:7880', 'ws://media.example.com', 'not a url', 'ftp://x.example'],
      }),
    ).toEqual(['http://127.0.0.1:8787', 'ws://127.0.0.1:7880', 'http://127.0.0.1:7880']);
    expect(connectSources({ serverUrl: 'http://tandem.example.com', livekitUrls: [] })).toEqual([]);
  });

  it('the copy built into the page keeps the wide form the header narrows', () => {
    expect(connectSrc(contentSecurityPolicy({ connect: 'bundle' }))).toContain('wss:');
  });
});

describe('sign-in server address (issue 13 item 10)', () => {
  it.each([
    ['https://tandem.example.com', 'https://tandem.example.com'],
    ['  https://tandem.example.com:8443/ ', 'https://tandem.example.com:8443'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['http://localhost:8787/', 'http://localhost:8787'],
    ['http://[::1]:8787', 'http://[::1]:8787'],
  ])('accepts %j as %j', (raw, url) => {
    expect(checkServerUrl(raw)).toEqual({ ok: true, url });
  });

  it.each([
    ['http://tandem.example.com', /Plain http is not secure: use https:\/\/tandem\.example\.com/],
    ['http://10.0.0.5:8787', /Plain http/],
    ['http://127.0.0.1.attacker.example', /Plain http/],
    ['ftp://tandem.example.com', /must start with https/],
    ['https://ada:secret@tandem.example.com', /user name or password/],
    ['tandem.example.com', /Enter the server address/],
  ])('refuses %j with a message for the sign-in screen', (raw, message) => {
    const result = checkServerUrl(raw);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toMatch(message);
  });
});

describe('permissions', () => {
  it('grants camera, microphone and screen only to our own UI', () => {
    expect(isPermissionGranted('media', 'app://tandem/index.html', isOwnUi)).toBe(true);
    expect(isPermissionGranted('display-capture', 'app://tandem/index.html', isOwnUi)).toBe(true);
    expect(isPermissionGranted('media', 'https://evil.example/', isOwnUi)).toBe(false);
    expect(isPermissionGranted('geolocation', 'app://tandem/index.html', isOwnUi)).toBe(false);
    expect(isPermissionGranted('openExternal', 'app://tandem/index.html', isOwnUi)).toBe(false);
  });

  it('refuses screen capture to our own UI too when IT turned screen sharing off', () => {
    const ui = 'app://tandem/index.html';
    expect(isPermissionGranted('display-capture', ui, isOwnUi, 'nobody')).toBe(false);
    expect(isPermissionGranted('media', ui, isOwnUi, 'nobody')).toBe(true);
    expect(isPermissionGranted('display-capture', ui, isOwnUi, 'hosts')).toBe(true);
    expect(isPermissionGranted('display-capture', ui, isOwnUi, 'everyone')).toBe(true);
  });
});

describe('navigation guard', () => {
  it('stays in our UI, hands allowlisted links to the OS, refuses the rest', () => {
    expect(decideNavigation('app://tandem/index.html#/call', isOwnUi)).toBe('stay');
    expect(decideNavigation('https://meet.google.com/abc-defg-hij', isOwnUi)).toBe('openExternally');
    expect(decideNavigation('https://evil.example/phish', isOwnUi)).toBe('refuse');
    expect(decideNavigation('file:///etc/passwd', isOwnUi)).toBe('refuse');
  });

  it('never opens a window, even for our own UI', () => {
    expect(decideWindowOpen('app://tandem/index.html')).toBe('refuse');
    expect(decideWindowOpen('zoommtg://zoom.us/join?confno=1')).toBe('openExternally');
  });
});

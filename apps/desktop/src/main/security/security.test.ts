import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp.ts';
import { decideNavigation, decideWindowOpen } from './navigation.ts';
import { isPermissionGranted } from './permissions.ts';
import { ownUiOrigins } from './uiOrigin.ts';

const isOwnUi = ownUiOrigins();

describe('content security policy', () => {
  it('forbids inline script, eval, plugins and framing', () => {
    const csp = contentSecurityPolicy();
    const script = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    expect(script).toBe("'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('admits the dev server only when one is named', () => {
    expect(contentSecurityPolicy()).not.toContain('localhost:5173');
    expect(contentSecurityPolicy({ devOrigin: 'http://localhost:5173' })).toContain('ws://localhost:5173');
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

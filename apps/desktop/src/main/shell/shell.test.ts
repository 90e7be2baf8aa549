import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appFileFor, contentTypeOf } from './appFiles.ts';
import { secureWindowOptions } from './window.ts';

describe('app:// files', () => {
  const root = path.resolve('/opt/tandem/renderer');

  it('serves files inside the renderer folder and index.html for app routes', () => {
    expect(appFileFor(root, 'app://tandem/assets/index-abc.js')).toBe(path.join(root, 'assets/index-abc.js'));
    expect(appFileFor(root, 'app://tandem/')).toBe(path.join(root, 'index.html'));
    expect(appFileFor(root, 'app://tandem/call/room?x=1')).toBe(path.join(root, 'index.html'));
    expect(contentTypeOf('a/b.js')).toMatch(/javascript/);
  });

  it('serves nothing outside it, nor for other hosts or schemes', () => {
    // The URL parser already clamps dot segments at the root…
    expect(appFileFor(root, 'app://tandem/%2e%2e/%2e%2e/etc/passwd.txt')).toBe(path.join(root, 'etc/passwd.txt'));
    // …but not encoded slashes, which decode into a climb: refused.
    expect(appFileFor(root, 'app://tandem/..%2F..%2Fsecrets.bin')).toBeNull();
    expect(appFileFor(root, 'app://other/index.html')).toBeNull();
    expect(appFileFor(root, 'file:///opt/tandem/renderer/index.html')).toBeNull();
    expect(appFileFor(root, 'app://tandem/a%00.js')).toBeNull();
  });
});

describe('window options', () => {
  it('keep the renderer sandboxed, isolated and without Node', () => {
    const prefs = secureWindowOptions('/p/preload.cjs').webPreferences;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
    });
  });
});

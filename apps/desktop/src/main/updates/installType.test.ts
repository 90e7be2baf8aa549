import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectInstallType, nodeFileChecks, type InstallProbe } from './installType.ts';

function probe(overrides: Partial<InstallProbe>, files: Readonly<Record<string, string>> = {}): InstallProbe {
  return {
    platform: 'linux',
    isPackaged: true,
    exePath: '/opt/Tandem/tandem',
    resourcesPath: '/opt/Tandem/resources',
    appImagePath: undefined,
    exists: async (file) => Object.hasOwn(files, file),
    readText: async (file) => files[file],
    ...overrides,
  };
}

describe('detectInstallType', () => {
  it('knows a development run', async () => {
    expect(await detectInstallType(probe({ isPackaged: false }))).toBe('unpackaged');
  });

  it('tells NSIS (uninstaller beside the exe) from MSI on Windows', async () => {
    const exePath = 'C:\\Program Files\\Tandem\\Tandem.exe';
    const nsis = probe({ platform: 'win32', exePath }, { 'C:\\Program Files\\Tandem\\Uninstall Tandem.exe': '' });
    expect(await detectInstallType(nsis)).toBe('nsis');
    expect(await detectInstallType(probe({ platform: 'win32', exePath }))).toBe('msi');
  });

  it('tells pkg (installer receipt) from dmg on macOS', async () => {
    const pkg = probe({ platform: 'darwin' }, { '/var/db/receipts/com.tandem.desktop.plist': '' });
    expect(await detectInstallType(pkg)).toBe('pkg');
    expect(await detectInstallType(probe({ platform: 'darwin' }))).toBe('dmg');
  });

  it('tells AppImage, deb and rpm apart on Linux', async () => {
    expect(await detectInstallType(probe({ appImagePath: '/home/ada/Tandem.AppImage' }))).toBe('appimage');
    expect(await detectInstallType(probe({}, { '/opt/Tandem/resources/package-type': 'deb\n' }))).toBe('deb');
    expect(await detectInstallType(probe({}, { '/opt/Tandem/resources/package-type': 'rpm' }))).toBe('rpm');
    expect(await detectInstallType(probe({}))).toBe('unknown');
  });
});

describe('nodeFileChecks', () => {
  it('checks and reads real files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tandem-install-'));
    try {
      const file = path.join(dir, 'package-type');
      await writeFile(file, 'deb');
      expect(await nodeFileChecks.exists(file)).toBe(true);
      expect(await nodeFileChecks.readText(file)).toBe('deb');
      expect(await nodeFileChecks.exists(path.join(dir, 'missing'))).toBe(false);
      expect(await nodeFileChecks.readText(path.join(dir, 'missing'))).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

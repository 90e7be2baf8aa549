import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PRODUCT } from '@tandem/shared';

/** How this copy of the app got onto the machine, which decides who updates it. */
export type InstallType = 'nsis' | 'msi' | 'dmg' | 'pkg' | 'appimage' | 'deb' | 'rpm' | 'unknown' | 'unpackaged';

/** What the detection looks at; `installProbe.ts` gives the real one. */
export type InstallProbe = {
  readonly platform: NodeJS.Platform;
  readonly isPackaged: boolean;
  /** The app's executable (`process.execPath` in the packaged app). */
  readonly exePath: string;
  /** `process.resourcesPath`: electron-builder writes `package-type` there for deb and rpm. */
  readonly resourcesPath: string;
  /** Set by the AppImage runtime to the image's own path. */
  readonly appImagePath: string | undefined;
  readonly exists: (file: string) => Promise<boolean>;
  readonly readText: (file: string) => Promise<string | undefined>;
};

/** pkgbuild's identifier is the app id; the installer leaves its receipt here. */
export const PKG_RECEIPT = `/var/db/receipts/${PRODUCT.appId}.plist`;
/** Every NSIS install, per-user or per-machine, has this beside the executable; an MSI install never does. */
export const NSIS_UNINSTALLER = `Uninstall ${PRODUCT.productName}.exe`;

export async function detectInstallType(probe: InstallProbe): Promise<InstallType> {
  if (!probe.isPackaged) return 'unpackaged';
  switch (probe.platform) {
    case 'win32':
      return (await probe.exists(path.win32.join(path.win32.dirname(probe.exePath), NSIS_UNINSTALLER)))
        ? 'nsis'
        : 'msi';
    case 'darwin':
      return (await probe.exists(PKG_RECEIPT)) ? 'pkg' : 'dmg';
    case 'linux': {
      if (probe.appImagePath !== undefined && probe.appImagePath !== '') return 'appimage';
      const packageType = (await probe.readText(path.posix.join(probe.resourcesPath, 'package-type')))?.trim();
      return packageType === 'deb' || packageType === 'rpm' ? packageType : 'unknown';
    }
    default:
      return 'unknown';
  }
}

/** The file checks of a real probe; the Electron facts come from the composition root. */
export const nodeFileChecks: Pick<InstallProbe, 'exists' | 'readText'> = {
  exists: async (file) => {
    try {
      await access(file);
      return true;
    } catch {
      return false;
    }
  },
  readText: async (file) => {
    try {
      return await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

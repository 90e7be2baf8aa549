import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.ts';

export type ElectronProbe =
  { readonly canLaunch: true; readonly binary: string } | { readonly canLaunch: false; readonly reason: string };

/**
 * Whether the Electron binary is present and a display exists, without triggering Electron's
 * own first-launch download (which cannot reach its host on the development machines).
 */
export function probeElectron(): ElectronProbe {
  const pkgDir = path.join(repoRoot, 'node_modules', 'electron');
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!fs.existsSync(pathFile)) {
    return {
      canLaunch: false,
      reason: 'the Electron binary is not installed (it downloads on first launch, and its host is not reachable here)',
    };
  }
  const binary = path.join(pkgDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  if (!fs.existsSync(binary)) return { canLaunch: false, reason: `the Electron binary is missing at ${binary}` };
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
    return { canLaunch: false, reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  return { canLaunch: true, binary };
}

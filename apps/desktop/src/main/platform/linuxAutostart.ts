import fs from 'node:fs';
import path from 'node:path';
import type { LoginItemSurface } from './types.ts';

/**
 * Start at login on Linux, where Electron's login items do nothing: a desktop entry in the XDG
 * autostart folder (`~/.config/autostart`), which GNOME, KDE and the others read at login.
 * `exec` is the command line, already quoted as the Desktop Entry spec wants.
 */
export function linuxAutostart(autostartDir: string, name: string, exec: string): LoginItemSurface {
  const file = path.join(autostartDir, `${name.toLowerCase()}.desktop`);
  return {
    enabled: () => fs.existsSync(file),
    set(enabled) {
      if (!enabled) {
        fs.rmSync(file, { force: true });
        return;
      }
      fs.mkdirSync(autostartDir, { recursive: true });
      fs.writeFileSync(
        file,
        [
          '[Desktop Entry]',
          'Type=Application',
          `Name=${name}`,
          `Exec=${exec}`,
          'X-GNOME-Autostart-enabled=true',
          '',
        ].join('\n'),
      );
    },
  };
}

/** Quotes one argument for a desktop entry's Exec line (the spec's double quotes and escapes). */
export function desktopExecArg(arg: string): string {
  return /^[A-Za-z0-9_./=-]+$/.test(arg) ? arg : `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

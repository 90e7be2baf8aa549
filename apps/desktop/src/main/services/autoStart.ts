import type { Policy, Settings } from '@tandem/shared';
import type { LoginItemSurface } from '../platform/types.ts';

/** Whether the app starts at login: IT's `startAtLogin` (`on`, `off`) wins; `user` or unset, the setting. */
export function startsAtLogin(settings: Pick<Settings, 'startAtLogin'>, policy: Policy['startAtLogin']): boolean {
  switch (policy) {
    case 'on':
      return true;
    case 'off':
      return false;
    case 'user':
    case undefined:
      return settings.startAtLogin;
    default: {
      const unreachable: never = policy;
      throw new Error(`unknown startAtLogin policy ${String(unreachable)}`);
    }
  }
}

/**
 * Makes the OS's login items say what is wanted, minimised to the tray (the shell starts the
 * window hidden when launched with `HIDDEN_ARG`); tells the OS only when that differs.
 */
export function syncLoginItem(surface: LoginItemSurface, wanted: boolean): void {
  if (surface.enabled() !== wanted) surface.set(wanted);
}

/** The argument the login item starts the app with: no window, only the tray. */
export const HIDDEN_ARG = '--hidden';

/**
 * Whether this launch shows no window, only the tray: the login item's `HIDDEN_ARG` (Windows,
 * Linux), or macOS saying it opened the app at login (its login items pass no arguments).
 */
export function startsHidden(argv: readonly string[], openedAtLoginByMacOs: boolean): boolean {
  return argv.includes(HIDDEN_ARG) || openedAtLoginByMacOs;
}

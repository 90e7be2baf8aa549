import type { Policy } from '@tandem/shared';
import type { InstallType } from './installType.ts';

export type UpdatePlan =
  | {
      readonly kind: 'off';
      /**
       * turnedOff: the policy (or the user, where no policy locks it) said no.
       * managedInstall: MSI and pkg installs belong to IT's deployment tool, which updates them.
       * notUpdatable: a development run or an install type electron-updater cannot update.
       */
      readonly reason: 'turnedOff' | 'managedInstall' | 'notUpdatable';
    }
  | {
      readonly kind: 'check';
      /** electron-updater's channel name: its stable channel is called `latest`. */
      readonly channel: 'latest' | 'beta';
      /** A generic feed that replaces the one built into the installer; undefined keeps that one. */
      readonly feedUrl: string | undefined;
    };

/** The settings that decide updates, after policy has overridden the user's choices. */
export type UpdateSettings = Pick<Policy, 'autoUpdate' | 'updateChannel' | 'updateUrl'>;

function installUpdates(installType: InstallType): 'self' | 'it' | 'none' {
  switch (installType) {
    case 'nsis':
    case 'dmg':
    case 'appimage':
    case 'deb':
    case 'rpm':
      return 'self';
    case 'msi':
    case 'pkg':
      return 'it';
    case 'unknown':
    case 'unpackaged':
      return 'none';
    default: {
      const unhandled: never = installType;
      throw new Error(`unhandled install type ${String(unhandled)}`);
    }
  }
}

export function planUpdates(installType: InstallType, settings: UpdateSettings): UpdatePlan {
  const updater = installUpdates(installType);
  if (updater === 'it') return { kind: 'off', reason: 'managedInstall' };
  if (updater === 'none') return { kind: 'off', reason: 'notUpdatable' };
  if (settings.autoUpdate === false) return { kind: 'off', reason: 'turnedOff' };
  return {
    kind: 'check',
    channel: settings.updateChannel === 'beta' ? 'beta' : 'latest',
    feedUrl: settings.updateUrl,
  };
}

import { applyPolicy } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import type { InstallType } from './installType.ts';
import { planUpdates } from './updatePlan.ts';

describe('planUpdates', () => {
  it('never updates MSI or pkg installs, even when everything else says yes', () => {
    for (const installType of ['msi', 'pkg'] as const) {
      expect(planUpdates(installType, { autoUpdate: true, updateChannel: 'beta' })).toEqual({
        kind: 'off',
        reason: 'managedInstall',
      });
    }
  });

  it('does not update a development run or an install it cannot recognise', () => {
    expect(planUpdates('unpackaged', {})).toEqual({ kind: 'off', reason: 'notUpdatable' });
    expect(planUpdates('unknown', {})).toEqual({ kind: 'off', reason: 'notUpdatable' });
  });

  it('is off when policy turns automatic updates off, whatever the user chose', () => {
    const { values } = applyPolicy({ autoUpdate: true }, { autoUpdate: false });
    expect(planUpdates('nsis', values)).toEqual({ kind: 'off', reason: 'turnedOff' });
  });

  it('checks the stable channel of the built-in feed by default on self-updating installs', () => {
    const selfUpdating: readonly InstallType[] = ['nsis', 'dmg', 'appimage', 'deb', 'rpm'];
    for (const installType of selfUpdating) {
      expect(planUpdates(installType, {})).toEqual({ kind: 'check', channel: 'latest', feedUrl: undefined });
    }
  });

  it("uses the policy's channel and feed over the user's", () => {
    const { values } = applyPolicy(
      { updateChannel: 'beta' },
      { updateChannel: 'stable', updateUrl: 'https://mirror.corp.example/tandem' },
    );
    expect(planUpdates('dmg', values)).toEqual({
      kind: 'check',
      channel: 'latest',
      feedUrl: 'https://mirror.corp.example/tandem',
    });
    expect(planUpdates('deb', { updateChannel: 'beta' })).toMatchObject({ channel: 'beta' });
  });
});

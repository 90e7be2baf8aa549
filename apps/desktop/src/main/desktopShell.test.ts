import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyPolicy, type IpcEvent, type Policy } from '@tandem/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { startCore, type Core } from './core.ts';
import { headlessPlatform } from './platform/headless.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-shell-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The core with the headless platform's fakes of the OS (shortcuts, login items, tray) and a real cache. */
async function start(
  name: string,
  policy: Policy = {},
  takenByOthers: readonly string[] = [],
  systemLanguages: readonly string[] = ['en-GB'],
) {
  const platform = headlessPlatform({ shortcutsTakenByOthers: takenByOthers, systemLanguages });
  const events: { event: IpcEvent; payload: unknown }[] = [];
  const core: Core = await startCore({
    dataDir: path.join(root, name),
    platform,
    emit: (event, payload) => void events.push({ event, payload }),
    policy: applyPolicy({}, policy),
  });
  return { core, platform, events };
}

describe('the desktop shell follows the settings and IT policy (fake OS at the platform seam)', () => {
  it('registers the shortcuts at start, re-registers them when Settings change them, and reports conflicts', async () => {
    const { core, platform, events } = await start('user', {}, ['CommandOrControl+Shift+O']);
    try {
      expect(platform.globalShortcuts.held).toEqual(['commandorcontrol+shift+m']);
      expect(core.services.shortcuts.conflicts()).toEqual([
        { action: 'toggleCamera', accelerator: 'CommandOrControl+Shift+O', reason: 'taken' },
      ]);
      await core.services.settings.update({ shortcuts: { toggleMute: 'Alt+Shift+M', toggleCamera: 'Alt+Shift+C' } });
      expect(platform.globalShortcuts.held).toEqual(['alt+shift+m', 'alt+shift+c']);
      expect(core.services.shortcuts.conflicts()).toEqual([]);
      platform.globalShortcuts.press('Alt+Shift+M');
      expect(events.at(-1)).toEqual({ event: 'shell:command', payload: { command: 'toggleMute' } });

      // Start at login and close to tray are the user's here.
      expect(platform.loginItems.changes).toEqual([]);
      await core.services.settings.update({ startAtLogin: true, closeToTray: false });
      expect(platform.loginItems.changes).toEqual([true]);
      expect(core.shell.closeToTray()).toBe(false);

      // The tray's Join by code: the shell shows the window, the renderer opens the join form.
      platform.tray.click('joinByCode');
      expect(events.at(-1)).toEqual({ event: 'shell:command', payload: { command: 'joinByCode' } });
    } finally {
      await core.close();
    }
  });

  it('labels the tray menu in the app’s language: the OS’s, then the one chosen in Settings', async () => {
    const { core, platform } = await start('language', {}, [], ['ja-JP', 'en-US']);
    const labels = () =>
      (platform.tray.model?.items ?? []).flatMap((item) => (item.kind === 'action' ? [item.label] : []));
    try {
      await expect.poll(labels).toEqual(['Tandem を開く', '終了']);
      expect(platform.tray.model?.tooltip).toBe('Tandem: サインアウト中');
      await core.services.settings.update({ language: 'de' });
      await expect.poll(labels).toEqual(['Tandem öffnen', 'Beenden']);
      await core.services.settings.update({ language: 'en' });
      await expect.poll(labels).toEqual(['Open Tandem', 'Quit']);
    } finally {
      await core.close();
    }
  });

  it('under IT policy: no global shortcuts nor push to talk, always started at login, always closed to the tray', async () => {
    const { core, platform } = await start('managed', {
      globalShortcuts: false,
      startAtLogin: 'on',
      closeToTray: true,
    });
    try {
      expect(platform.globalShortcuts.held).toEqual([]);
      expect(platform.loginItems.changes).toEqual([true]);
      expect(core.shell.closeToTray()).toBe(true);
      await expect(core.services.settings.update({ globalShortcuts: true })).rejects.toThrow(
        'your organisation sets globalShortcuts',
      );
      expect((await core.services.settings.get()).pushToTalk).toBe(false);
      await expect(core.services.settings.update({ pushToTalk: true })).rejects.toThrow(
        'your organisation sets pushToTalk',
      );
      await expect(core.services.settings.update({ startAtLogin: false })).rejects.toThrow(
        'your organisation sets startAtLogin',
      );
      await expect(core.services.settings.update({ closeToTray: false })).rejects.toThrow(
        'your organisation sets closeToTray',
      );
      expect(platform.loginItems.changes).toEqual([true]);
    } finally {
      await core.close();
    }
  });
});

import { DEFAULT_SETTINGS, type IpcEvent } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { headlessPlatform } from '../platform/headless.ts';
import { createGlobalShortcuts } from './shortcuts.ts';

/** The OS's global shortcuts are the headless platform's fake (the seam for Electron's globalShortcut). */
function world(takenByOthers: readonly string[] = []) {
  const platform = headlessPlatform({ shortcutsTakenByOthers: takenByOthers });
  const emitted: { event: IpcEvent; payload: unknown }[] = [];
  const shortcuts = createGlobalShortcuts({
    surface: platform.globalShortcuts,
    emit: (event, payload) => void emitted.push({ event, payload }),
  });
  return { platform, emitted, shortcuts };
}

describe('global shortcuts through the platform seam (fake OS shortcuts)', () => {
  it('registers mute and camera, and a press reaches the renderer as a shell command', () => {
    const { platform, emitted, shortcuts } = world();
    shortcuts.apply(DEFAULT_SETTINGS);
    expect(platform.globalShortcuts.held).toEqual(['commandorcontrol+shift+m', 'commandorcontrol+shift+o']);
    platform.globalShortcuts.press('CommandOrControl+Shift+M');
    platform.globalShortcuts.press('CommandOrControl+Shift+O');
    expect(emitted).toEqual([
      { event: 'shell:command', payload: { command: 'toggleMute' } },
      { event: 'shell:command', payload: { command: 'toggleCamera' } },
    ]);
    expect(shortcuts.conflicts()).toEqual([]);
  });

  it('reports a combination another app holds, one set twice and one that is not a shortcut', () => {
    const { platform, shortcuts } = world(['CommandOrControl+Shift+M']);
    shortcuts.apply(DEFAULT_SETTINGS);
    expect(shortcuts.conflicts()).toEqual([
      { action: 'toggleMute', accelerator: 'CommandOrControl+Shift+M', reason: 'taken' },
    ]);
    expect(platform.globalShortcuts.held).toEqual(['commandorcontrol+shift+o']);

    shortcuts.apply({ ...DEFAULT_SETTINGS, shortcuts: { toggleMute: 'Alt+F9', toggleCamera: 'Alt+F9' } });
    expect(shortcuts.conflicts()).toEqual([{ action: 'toggleCamera', accelerator: 'Alt+F9', reason: 'duplicate' }]);
    expect(platform.globalShortcuts.held).toEqual(['alt+f9']);

    shortcuts.apply({ ...DEFAULT_SETTINGS, shortcuts: { toggleMute: 'M', toggleCamera: null } });
    expect(shortcuts.conflicts()).toEqual([{ action: 'toggleMute', accelerator: 'M', reason: 'invalid' }]);
    expect(platform.globalShortcuts.held).toEqual([]);
  });

  it('turned off (by the user or IT) holds nothing, and gives back what it held', () => {
    const { platform, emitted, shortcuts } = world();
    shortcuts.apply(DEFAULT_SETTINGS);
    shortcuts.apply({ ...DEFAULT_SETTINGS, globalShortcuts: false });
    expect(platform.globalShortcuts.held).toEqual([]);
    platform.globalShortcuts.press('CommandOrControl+Shift+M');
    expect(emitted).toEqual([]);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { headlessPlatform } from '../platform/headless.ts';
import { desktopExecArg, linuxAutostart } from '../platform/linuxAutostart.ts';
import { HIDDEN_ARG, startsAtLogin, startsHidden, syncLoginItem } from './autoStart.ts';

describe('start at login', () => {
  it('follows IT’s policy (on, off) over the setting, and the setting when the policy leaves it to the user', () => {
    expect(startsAtLogin({ startAtLogin: false }, 'on')).toBe(true);
    expect(startsAtLogin({ startAtLogin: true }, 'off')).toBe(false);
    expect(startsAtLogin({ startAtLogin: true }, 'user')).toBe(true);
    expect(startsAtLogin({ startAtLogin: false }, undefined)).toBe(false);
  });

  it('tells the OS’s login items (the headless platform’s fake) only what changed', () => {
    const { loginItems } = headlessPlatform();
    syncLoginItem(loginItems, false);
    syncLoginItem(loginItems, true);
    syncLoginItem(loginItems, true);
    syncLoginItem(loginItems, false);
    expect(loginItems.changes).toEqual([true, false]);
  });

  it('starts in the tray only when the login item launched the app: its argument, or macOS saying so', () => {
    expect(startsHidden(['/opt/Tandem/tandem', HIDDEN_ARG], false)).toBe(true);
    expect(startsHidden(['/Applications/Tandem.app/Contents/MacOS/Tandem'], true)).toBe(true);
    expect(startsHidden(['/opt/Tandem/tandem', 'tandem://join/abc-defg'], false)).toBe(false);
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-autostart-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('on Linux writes and removes the XDG autostart entry that starts the app minimised', () => {
    const autostart = path.join(dir, 'autostart');
    const exec = ['/opt/Tandem App/tandem', HIDDEN_ARG].map(desktopExecArg).join(' ');
    const item = linuxAutostart(autostart, 'Tandem', exec);
    expect(item.enabled()).toBe(false);
    item.set(true);
    expect(item.enabled()).toBe(true);
    const entry = fs.readFileSync(path.join(autostart, 'tandem.desktop'), 'utf8');
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=Tandem\n');
    expect(entry).toContain('Exec="/opt/Tandem App/tandem" --hidden\n');
    item.set(false);
    expect(item.enabled()).toBe(false);
    expect(fs.readdirSync(autostart)).toEqual([]);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IpcEvent } from '@tandem/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { startCore } from '../core.ts';
import { headlessPlatform } from '../platform/headless.ts';
import { aboutBox, helpMenuModel } from './helpMenu.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-help-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const VERSIONS = { app: '0.4.0', electron: '45.5.0', chrome: '142.0.7444.59', node: '22.20.0', os: 'linux 6.8 x64' };

describe('the Help menu (app menu, through the platform seam)', () => {
  it('has Collect logs, Connection test and About, in each shipped language', () => {
    expect(helpMenuModel('en')).toEqual({
      label: 'Help',
      items: [
        { action: 'collectLogs', label: 'Collect logs…' },
        { action: 'connectionTest', label: 'Connection test' },
        { action: 'about', label: 'About Tandem' },
      ],
    });
    expect(helpMenuModel('de').items.map((i) => i.label)).toEqual([
      'Protokolle sammeln…',
      'Verbindungstest',
      'Über Tandem',
    ]);
    expect(helpMenuModel('ja').label).toBe('ヘルプ');
  });

  it('About names the app’s version and each part’s, one a line', () => {
    expect(aboutBox('en', VERSIONS)).toEqual({
      title: 'About Tandem',
      message: 'Tandem · Version 0.4.0',
      detail: 'electron 45.5.0\nchrome 142.0.7444.59\nnode 22.20.0\nos linux 6.8 x64',
    });
    expect(aboutBox('ja', {}).message).toBe('Tandem');
  });

  it('draws the menu at start, sends Collect logs and Connection test to the window, shows About, and follows the language', async () => {
    const platform = headlessPlatform({ systemLanguages: ['de-AT'] });
    const events: { event: IpcEvent; payload: unknown }[] = [];
    const core = await startCore({
      dataDir: path.join(root, 'menu'),
      platform,
      emit: (event, payload) => void events.push({ event, payload }),
      versions: VERSIONS,
    });
    try {
      expect(platform.appMenu.model?.label).toBe('Hilfe');
      platform.appMenu.click('collectLogs');
      expect(events.at(-1)).toEqual({ event: 'shell:command', payload: { command: 'collectLogs' } });
      platform.appMenu.click('connectionTest');
      expect(events.at(-1)).toEqual({ event: 'shell:command', payload: { command: 'connectionTest' } });
      const before = events.length;
      platform.appMenu.click('about');
      expect(events.length).toBe(before);
      expect(platform.appMenu.abouts).toEqual([aboutBox('de', VERSIONS)]);

      await core.services.settings.update({ language: 'ja' });
      expect(platform.appMenu.model).toEqual(helpMenuModel('ja'));
    } finally {
      await core.close();
    }
  });
});

import path from 'node:path';
import { DEFAULT_SETTINGS, type ManagedSettings } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { openDb } from '../db/client.ts';
import { useTempFolder } from '../db/testing.ts';
import { ServiceError } from './errors.ts';
import { createSettings } from './settings.ts';

const tempDir = useTempFolder('tandem-settings-');
const NONE: ManagedSettings = { values: {}, locked: [] };

async function withSettings(policy: ManagedSettings, run: (s: ReturnType<typeof createSettings>) => Promise<void>) {
  const db = await openDb(path.join(tempDir(), 'cache.db'));
  try {
    await run(createSettings(db, policy));
  } finally {
    await db.close();
  }
}

describe('settings in the real cache, under IT policy', () => {
  it('starts from the defaults and keeps what the user changes', async () => {
    await withSettings(NONE, async (settings) => {
      expect(await settings.get()).toEqual(DEFAULT_SETTINGS);
      await settings.update({ notifications: 'mentions', notificationPreviews: false });
      expect(await settings.get()).toMatchObject({ notifications: 'mentions', notificationPreviews: false });
    });
  });

  it('a locked value wins over what the user saved before, and cannot be changed', async () => {
    await withSettings(NONE, (settings) => settings.update({ notifications: 'all', video2160p: true }).then(() => {}));
    const policy: ManagedSettings = {
      values: { notifications: 'off', notificationPreviews: false, allow2160p: false },
      locked: ['notifications', 'notificationPreviews', 'allow2160p'],
    };
    await withSettings(policy, async (settings) => {
      expect(await settings.get()).toMatchObject({
        notifications: 'off',
        notificationPreviews: false,
        video2160p: false,
      });
      await expect(settings.update({ notifications: 'all' })).rejects.toThrow(ServiceError);
      await expect(settings.update({ video2160p: true })).rejects.toThrow('does not allow 2160p');
      // Saving the locked value itself, with other changes, is fine.
      await settings.update({ notifications: 'off', displayName: 'Grace H.' });
      expect(await settings.get()).toMatchObject({ notifications: 'off', displayName: 'Grace H.' });
    });
  });

  it('reads settings saved before a key existed, with that key’s default', async () => {
    await withSettings(NONE, async (settings) => {
      await settings.update({ displayName: 'Ada' });
      const db = await openDb(path.join(tempDir(), 'other.db'));
      await db.write('kvSet', { key: 'settings', value: JSON.stringify({ video2160p: true, displayName: 'Old' }) });
      expect(await createSettings(db, NONE).get()).toMatchObject({
        video2160p: true,
        displayName: 'Old',
        notifications: 'all',
        notificationPreviews: true,
      });
      await db.close();
    });
  });

  it('keeps the call effects, and IT’s noiseSuppression policy fixes that one on or off', async () => {
    const picture = 'data:image/jpeg;base64,/9j/4AAQ';
    await withSettings(NONE, async (settings) => {
      expect(await settings.get()).toMatchObject({
        noiseSuppression: true,
        background: { kind: 'none' },
        lowLight: false,
      });
      const own = { background: { kind: 'own' }, ownBackground: picture } as const;
      await settings.update({ noiseSuppression: false, ...own, lowLight: true });
      expect(await settings.get()).toMatchObject({ noiseSuppression: false, ...own, lowLight: true });
      // Another background chosen: one's own picture stays for later.
      await settings.update({ background: { kind: 'blur', strength: 'strong' } });
      expect(await settings.get()).toMatchObject({
        background: { kind: 'blur', strength: 'strong' },
        ownBackground: picture,
      });
      // Not a picture: refused, the stored value stays.
      await expect(settings.update({ ownBackground: 'javascript:alert(1)' })).rejects.toThrow();
      expect((await settings.get()).ownBackground).toBe(picture);
    });
    const forced: ManagedSettings = { values: { noiseSuppression: true }, locked: ['noiseSuppression'] };
    await withSettings(forced, async (settings) => {
      expect((await settings.get()).noiseSuppression).toBe(true);
      await expect(settings.update({ noiseSuppression: false })).rejects.toThrow(
        'your organisation sets noiseSuppression',
      );
      await settings.update({ lowLight: false });
    });
  });

  it('keeps the chosen language, and IT’s language policy fixes it', async () => {
    await withSettings(NONE, async (settings) => {
      expect((await settings.get()).language).toBe('system');
      await settings.update({ language: 'ja' });
      expect((await settings.get()).language).toBe('ja');
      await expect(settings.update({ language: 'fr' as never })).rejects.toThrow();
    });
    const german: ManagedSettings = { values: { language: 'de' }, locked: ['language'] };
    await withSettings(german, async (settings) => {
      expect((await settings.get()).language).toBe('de');
      await expect(settings.update({ language: 'en' })).rejects.toThrow('your organisation sets language');
    });
  });
});

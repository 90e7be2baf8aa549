import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '@tandem/shared';
import type { DbClient } from '../db/client.ts';

/** The device's settings live in the cache under this key, and survive sign-out. */
export const SETTINGS_KEY = 'settings';

export type SettingsService = {
  get(): Promise<Settings>;
  update(patch: Partial<Settings>): Promise<Settings>;
};

export function createSettings(db: DbClient): SettingsService {
  async function get(): Promise<Settings> {
    const stored = await db.read('kvGet', SETTINGS_KEY);
    const parsed = SettingsSchema.partial().safeParse(stored === null ? {} : JSON.parse(stored));
    return { ...DEFAULT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
  }
  return {
    get,
    async update(patch) {
      const next = SettingsSchema.parse({ ...(await get()), ...patch });
      await db.write('kvSet', { key: SETTINGS_KEY, value: JSON.stringify(next) });
      return next;
    },
  };
}

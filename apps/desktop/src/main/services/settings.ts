import { DEFAULT_SETTINGS, SettingsSchema, type ManagedSettings, type Settings } from '@tandem/shared';
import type { DbClient } from '../db/client.ts';
import { ServiceError } from './errors.ts';

/** The device's settings live in the cache under this key, and survive sign-out. */
export const SETTINGS_KEY = 'settings';

export type SettingsService = {
  get(): Promise<Settings>;
  update(patch: Partial<Settings>): Promise<Settings>;
};

/** The user's settings under the organisation's policy: a locked-off 2160p stays off. */
export function createSettings(db: DbClient, policy: ManagedSettings): SettingsService {
  const no2160p = policy.values.allow2160p === false;
  async function get(): Promise<Settings> {
    const stored = await db.read('kvGet', SETTINGS_KEY);
    const parsed = SettingsSchema.partial().safeParse(stored === null ? {} : JSON.parse(stored));
    const settings = { ...DEFAULT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
    return no2160p ? { ...settings, video2160p: false } : settings;
  }
  return {
    get,
    async update(patch) {
      if (no2160p && patch.video2160p === true) {
        throw new ServiceError('forbidden', 'your organisation does not allow 2160p video');
      }
      const next = SettingsSchema.parse({ ...(await get()), ...patch });
      await db.write('kvSet', { key: SETTINGS_KEY, value: JSON.stringify(next) });
      return next;
    },
  };
}

import { DEFAULT_SETTINGS, SettingsSchema, type ManagedSettings, type Settings } from '@tandem/shared';
import type { DbClient } from '../db/client.ts';
import { ServiceError } from './errors.ts';

/** The device's settings live in the cache under this key, and survive sign-out. */
export const SETTINGS_KEY = 'settings';

export type SettingsService = {
  get(): Promise<Settings>;
  update(patch: Partial<Settings>): Promise<Settings>;
};

/** The settings IT's policy fixes on this machine: the policy's value wins over the user's. */
function enforcedBy(policy: ManagedSettings): Partial<Settings> {
  const { allow2160p, notifications, notificationPreviews, noiseSuppression, language, closeToTray, startAtLogin } =
    policy.values;
  return {
    ...(allow2160p === false ? { video2160p: false } : {}),
    ...(notifications === undefined ? {} : { notifications }),
    ...(notificationPreviews === undefined ? {} : { notificationPreviews }),
    ...(noiseSuppression === undefined ? {} : { noiseSuppression }),
    ...(language === undefined ? {} : { language }),
    ...(closeToTray === undefined ? {} : { closeToTray }),
    ...(startAtLogin === 'on' || startAtLogin === 'off' ? { startAtLogin: startAtLogin === 'on' } : {}),
    ...(policy.values.globalShortcuts === false ? { globalShortcuts: false, pushToTalk: false } : {}),
  };
}

/** The user's settings under the organisation's policy: a locked-off 2160p stays off, and so on. */
export function createSettings(
  db: DbClient,
  policy: ManagedSettings,
  /** After each change, with the settings as they now are (the desktop shell follows some). */
  onChange: (settings: Settings) => void = () => undefined,
): SettingsService {
  const enforced = enforcedBy(policy);
  async function get(): Promise<Settings> {
    const stored = await db.read('kvGet', SETTINGS_KEY);
    const parsed = SettingsSchema.partial().safeParse(stored === null ? {} : JSON.parse(stored));
    return { ...DEFAULT_SETTINGS, ...(parsed.success ? parsed.data : {}), ...enforced };
  }
  return {
    get,
    async update(patch) {
      for (const [key, value] of Object.entries(patch)) {
        if (!Object.hasOwn(enforced, key) || enforced[key as keyof Settings] === value) continue;
        throw new ServiceError(
          'forbidden',
          key === 'video2160p'
            ? 'your organisation does not allow 2160p video'
            : `your organisation sets ${key} on this computer`,
        );
      }
      const next = SettingsSchema.parse({ ...(await get()), ...patch });
      await db.write('kvSet', { key: SETTINGS_KEY, value: JSON.stringify(next) });
      onChange(next);
      return next;
    },
  };
}

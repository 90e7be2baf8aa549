import { lazySchema } from './lazySchema.ts';
import { z } from 'zod';

/**
 * A yes/no policy. IT writes it as a boolean (plist, JSON) or as a REG_DWORD 1/0 (Windows
 * registry); both resolve to a boolean, and a boolean parses again unchanged, so the same schema
 * validates what the sources give and what main later sends to the renderer.
 */
const flag = lazySchema(() => z.preprocess((value) => (value === 1 ? true : value === 0 ? false : value), z.boolean()));
const httpUrl = lazySchema(() => z.url({ protocol: /^https?$/ }));
/** Devices are named by (part of) their label: device ids are random per machine and profile. */
const deviceLabel = lazySchema(() => z.string().trim().min(1).max(200));

/** When the desktop pops up a notification for a new message. */
export const NotificationModeSchema = lazySchema(() => z.enum(['all', 'mentions', 'off']));
export type NotificationMode = z.infer<typeof NotificationModeSchema>;

/**
 * The languages the app ships complete (the renderer's `i18n/locales`, a test keeps them whole).
 * `ar-XB` is a right-to-left pseudo-locale for testing the mirrored layout; it is not a policy value.
 */
export const SHIPPED_LOCALES = ['en', 'de', 'ja', 'ar-XB'] as const;
export type ShippedLocale = (typeof SHIPPED_LOCALES)[number];
/** The app's language: the OS's (`system`, the default) or one the app ships. */
export const LanguageSchema = lazySchema(() => z.enum(['system', ...SHIPPED_LOCALES]));
export type Language = z.infer<typeof LanguageSchema>;

/** The shipped locales the OS's preferred languages may pick: the pseudo-locale only by hand. */
const FOR_THE_OS: readonly ShippedLocale[] = SHIPPED_LOCALES.filter((locale) => locale !== 'ar-XB');

/**
 * The locale the app shows (the renderer, and main's tray menu): the chosen one, or for `system`
 * the first of the OS's preferred languages (e.g. `de-AT`, `ja`) whose language the app ships;
 * English otherwise.
 */
export function resolveLocale(language: Language, preferred: readonly string[]): ShippedLocale {
  if (language !== 'system') return language;
  for (const tag of preferred) {
    const base = tag.split('-')[0]?.toLowerCase();
    const match = FOR_THE_OS.find((locale) => locale === base);
    if (match !== undefined) return match;
  }
  return 'en';
}

/**
 * Every key IT can lock. Each source (Windows registry, macOS managed preferences, the Linux
 * policies file) uses these exact names; the templates in `resources/policies/` and
 * `docs/it/policies.md` list every one, and a test keeps them in step with this schema.
 */
export const PolicySchema = lazySchema(() =>
  z.object({
    /** The coordination server the app talks to; the user cannot point it elsewhere. */
    serverUrl: httpUrl.optional(),
    /** Which sign-in the app offers. */
    signInMethod: z.enum(['password', 'sso']).optional(),
    /** false: the app never checks for or downloads updates. */
    autoUpdate: flag.optional(),
    updateChannel: z.enum(['stable', 'beta']).optional(),
    /** Update feed (for example an internal mirror); the feed built into the installer otherwise. */
    updateUrl: httpUrl.optional(),
    /** Who may share their screen in meetings. */
    screenShare: z.enum(['everyone', 'hosts', 'nobody']).optional(),
    defaultCamera: deviceLabel.optional(),
    defaultMicrophone: deviceLabel.optional(),
    /** false: no usage data leaves the machine. */
    telemetry: flag.optional(),
    /** false: 2160p capture cannot be turned on; 1080p is the ceiling. */
    allow2160p: flag.optional(),
    /** Desktop notifications: for every new message, only mentions, or none. */
    notifications: NotificationModeSchema.optional(),
    /** false: notifications never show what a message says (screens others can see, lock screens). */
    notificationPreviews: flag.optional(),
    /** true or false: noise suppression on the microphone is fixed on (or off) for every call. */
    noiseSuppression: flag.optional(),
    /** The app's language on this machine: the OS's (`system`) or a fixed one; locked in Settings. */
    language: z.enum(['system', 'en', 'de', 'ja']).optional(),
    /** true: closing the window keeps the app running in the tray; false: closing quits. Locked in Settings. */
    closeToTray: flag.optional(),
    /** Start at login, minimised to the tray: always (`on`), never (`off`), or as the user chooses (`user`). */
    startAtLogin: z.enum(['on', 'off', 'user']).optional(),
    /** false: the app registers no global keyboard shortcut (mute, camera) on this machine, and push to talk is off. */
    globalShortcuts: flag.optional(),
  }),
);
export type Policy = z.infer<typeof PolicySchema>;
export const PolicyKeySchema = lazySchema(() => PolicySchema.keyof());
export type PolicyKey = z.infer<typeof PolicyKeySchema>;
export const POLICY_KEYS: readonly PolicyKey[] = PolicyKeySchema.options;

export const PolicyProblemSchema = lazySchema(() =>
  z.object({
    /** Where the value came from, e.g. `HKLM`, a file path. */
    source: z.string(),
    key: z.string(),
    message: z.string(),
  }),
);
export type PolicyProblem = z.infer<typeof PolicyProblemSchema>;

export type ParsedPolicy = { readonly policy: Policy; readonly problems: readonly PolicyProblem[] };

function isPolicyKey(key: string): key is PolicyKey {
  return Object.hasOwn(PolicySchema.shape, key);
}

/**
 * Validates raw values from one source key by key: an unknown key or a bad value is reported
 * and ignored, and never costs the other keys their effect.
 */
export function parsePolicy(raw: Readonly<Record<string, unknown>>, source: string): ParsedPolicy {
  const policy: Record<string, unknown> = {};
  const problems: PolicyProblem[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!isPolicyKey(key)) {
      problems.push({ source, key, message: 'unknown policy key' });
      continue;
    }
    const parsed = PolicySchema.shape[key].safeParse(value);
    if (parsed.success) policy[key] = parsed.data;
    else problems.push({ source, key, message: parsed.error.issues.map((issue) => issue.message).join('; ') });
  }
  // Every entry was validated by its own field schema above.
  return { policy: policy as Policy, problems };
}

/** Layers policies: for each key, the first layer that sets it wins (machine before user). */
export function mergePolicies(layers: readonly Policy[]): Policy {
  return layers.reduceRight<Policy>((merged, layer) => ({ ...merged, ...definedEntries(layer) }), {});
}

/** The settings a policy can lock, with which of them the organisation has set. */
export const ManagedSettingsSchema = lazySchema(() =>
  z.object({
    values: PolicySchema,
    /** Shown as locked in Settings, with a note that the organisation set them. */
    locked: z.array(PolicyKeySchema),
  }),
);
export type ManagedSettings = z.infer<typeof ManagedSettingsSchema>;

/** Policy overrides the user's own choice for every key it sets. */
export function applyPolicy(user: Policy, policy: Policy): ManagedSettings {
  const enforced = definedEntries(policy);
  return {
    values: { ...user, ...enforced },
    locked: POLICY_KEYS.filter((key) => Object.hasOwn(enforced, key)),
  };
}

function definedEntries(policy: Policy): Policy {
  return Object.fromEntries(Object.entries(policy).filter(([, value]) => value !== undefined));
}

/**
 * Whether IT's `screenShare` policy lets this person share a screen: `nobody` turns sharing off
 * on the machine, `hosts` leaves it to the meeting's hosts; unset, the meeting decides alone.
 */
export function policyAllowsScreenShare(screenShare: Policy['screenShare'], isHost: boolean): boolean {
  switch (screenShare) {
    case undefined:
    case 'everyone':
      return true;
    case 'hosts':
      return isHost;
    case 'nobody':
      return false;
    default: {
      const unreachable: never = screenShare;
      throw new Error(`unknown screenShare policy ${String(unreachable)}`);
    }
  }
}

import type { ManagedSettings, PolicyKey } from '@tandem/shared';
import type { MessageId } from '../i18n/locales/en.ts';
import type { Translate } from '../i18n/useT.ts';

/** How Settings names a policy's value when it is one of the app's words (else it shows as set). */
const VALUE_NAMES: Readonly<Record<string, MessageId>> = {
  all: 'settings.policyValue.all',
  mentions: 'settings.policyValue.mentions',
  off: 'ui.off',
  on: 'ui.on',
  user: 'settings.policyValue.user',
};

const LANGUAGE_NAMES: Readonly<Record<string, MessageId>> = {
  system: 'settings.language.followSystem',
  en: 'language.en',
  de: 'language.de',
  ja: 'language.ja',
};

function show(key: PolicyKey, value: unknown, t: Translate): string {
  if (value === true) return t('ui.on');
  if (value === false) return t('ui.off');
  const id = (key === 'language' ? LANGUAGE_NAMES : VALUE_NAMES)[String(value)];
  return id === undefined ? String(value) : t(id);
}

/** The settings the organisation locked on this machine, as Settings lists them. */
export function lockedSettings(
  managed: ManagedSettings,
  t: Translate,
): { key: PolicyKey; label: string; value: string }[] {
  return managed.locked.map((key) => ({
    key,
    label: t(`settings.policy.${key}`),
    value: show(key, managed.values[key], t),
  }));
}

/** Whether IT's policy fixes this key on this machine. */
export function isLocked(managed: ManagedSettings, key: PolicyKey): boolean {
  return managed.locked.includes(key);
}

/** Whether the user may still change 2160p: only while policy does not forbid it. */
export function may2160p(managed: ManagedSettings): boolean {
  return managed.values.allow2160p !== false;
}

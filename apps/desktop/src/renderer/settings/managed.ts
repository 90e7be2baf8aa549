import type { ManagedSettings, PolicyKey } from '@tandem/shared';

const LABELS: Readonly<Record<PolicyKey, string>> = {
  serverUrl: 'Server',
  signInMethod: 'Sign-in method',
  autoUpdate: 'Automatic updates',
  updateChannel: 'Update channel',
  updateUrl: 'Update feed',
  screenShare: 'Who may share their screen',
  defaultCamera: 'Default camera',
  defaultMicrophone: 'Default microphone',
  telemetry: 'Usage data',
  allow2160p: '2160p (4K) video',
  notifications: 'Notifications',
  notificationPreviews: 'Message text in notifications',
  noiseSuppression: 'Noise suppression in calls',
};

/** How Settings names a policy's value. */
const VALUE_NAMES: Readonly<Record<string, string>> = {
  all: 'Every new message',
  mentions: 'Mentions only',
  off: 'Off',
};

function show(value: unknown): string {
  if (value === true) return 'On';
  if (value === false) return 'Off';
  return VALUE_NAMES[String(value)] ?? String(value);
}

/** The settings the organisation locked on this machine, as Settings lists them. */
export function lockedSettings(managed: ManagedSettings): { key: PolicyKey; label: string; value: string }[] {
  return managed.locked.map((key) => ({ key, label: LABELS[key], value: show(managed.values[key]) }));
}

/** Whether IT's policy fixes this key on this machine. */
export function isLocked(managed: ManagedSettings, key: PolicyKey): boolean {
  return managed.locked.includes(key);
}

/** Whether the user may still change 2160p: only while policy does not forbid it. */
export function may2160p(managed: ManagedSettings): boolean {
  return managed.values.allow2160p !== false;
}

import type { Calendar, CalendarQuery, ShippedLocale } from '@tandem/shared';
import { mainText, type MainText } from '../i18n/mainText.ts';
import type { NotificationSettings } from './notifications.ts';

/** How long before an occurrence its reminder shows. */
export const REMINDER_LEAD_MS = 10 * 60_000;
/** How often the upcoming occurrences are asked of the server. */
const FETCH_EVERY_MS = 5 * 60_000;
/** How often due reminders are looked for. */
const TICK_MS = 20_000;

export type Upcoming = {
  readonly meetingId: string;
  readonly title: string;
  /** ISO instant; with the meeting, names the occurrence (a reminder shows once per occurrence). */
  readonly startsAt: string;
};

/**
 * The reminders due at `now`: occurrences starting within the lead and not yet begun, each once.
 * With notifications off, none (presenting and do not disturb are the notifications' to judge, as for chat).
 */
export function dueReminders(input: {
  readonly upcoming: readonly Upcoming[];
  readonly shown: ReadonlySet<string>;
  readonly now: number;
  readonly settings: NotificationSettings;
  /** The app's language; English when absent. */
  readonly text?: MainText;
}): { readonly key: string; readonly meetingId: string; readonly title: string; readonly body: string }[] {
  if (input.settings.notifications === 'off') return [];
  const { t, time } = input.text ?? mainText('en');
  return input.upcoming.flatMap((o) => {
    const start = Date.parse(o.startsAt);
    const key = `${o.meetingId}@${o.startsAt}`;
    if (input.shown.has(key) || start <= input.now || start - input.now > REMINDER_LEAD_MS) return [];
    const minutes = Math.max(1, Math.round((start - input.now) / 60_000));
    return [
      {
        key,
        meetingId: o.meetingId,
        title: t('notify.reminder', { meeting: o.title, minutes }),
        body: t('notify.reminder.body', { time: time(new Date(start)) }),
      },
    ];
  });
}

export type RemindersDeps = {
  /** The caller's calendar, our meetings only (a series expanded into its occurrences). */
  readonly calendar: (window: CalendarQuery & { readonly only: 'tandem' }) => Promise<Calendar>;
  readonly settings: () => Promise<NotificationSettings>;
  /** Shows one reminder (`Notifications.remind`: not while presenting or under do not disturb). */
  readonly show: (key: string, text: { title: string; body: string }, meetingId: string) => void;
  readonly signedIn: () => boolean;
  /** The app's language as the settings (or the OS) choose it. */
  readonly locale?: () => ShippedLocale;
  readonly onError: (error: unknown) => void;
  readonly now?: () => number;
  readonly timers?: { readonly every: (ms: number, run: () => void) => () => void };
};

export type Reminders = {
  /** Asks for the upcoming occurrences now (a meeting changed) and shows what is due. */
  refresh(): Promise<void>;
  /** Sign-out: forgets the last user's meetings. */
  clear(): void;
  stop(): void;
};

/** Reminders before each occurrence of the user's meetings (issue 22), as desktop notifications. */
export function createReminders(deps: RemindersDeps): Reminders {
  const now = deps.now ?? Date.now;
  const every =
    deps.timers?.every ??
    ((ms: number, run: () => void) => {
      const timer = setInterval(run, ms);
      timer.unref?.();
      return () => clearInterval(timer);
    });
  let upcoming: readonly Upcoming[] = [];
  const shown = new Set<string>();

  async function fetchUpcoming(): Promise<void> {
    if (!deps.signedIn()) return;
    const from = now();
    const calendar = await deps.calendar({
      from: new Date(from).toISOString(),
      to: new Date(from + REMINDER_LEAD_MS + FETCH_EVERY_MS).toISOString(),
      only: 'tandem',
    });
    upcoming = calendar.entries.flatMap((e) =>
      e.kind === 'tandem' ? [{ meetingId: e.meetingId, title: e.title, startsAt: e.startsAt }] : [],
    );
  }

  async function check(): Promise<void> {
    const due = dueReminders({
      upcoming,
      shown,
      now: now(),
      settings: await deps.settings(),
      text: mainText(deps.locale?.() ?? 'en'),
    });
    for (const reminder of due) {
      shown.add(reminder.key);
      deps.show(reminder.key, { title: reminder.title, body: reminder.body }, reminder.meetingId);
    }
  }

  const refresh = async () => {
    await fetchUpcoming();
    await check();
  };
  const stops = [
    every(FETCH_EVERY_MS, () => void refresh().catch(deps.onError)),
    every(TICK_MS, () => void check().catch(deps.onError)),
  ];
  return {
    refresh,
    clear() {
      upcoming = [];
      shown.clear();
    },
    stop() {
      for (const stop of stops) stop();
    },
  };
}

import type { Calendar, IpcEvent } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { notificationCentre } from '../platform/headless.ts';
import { createNotifications, type NotificationSettings } from './notifications.ts';
import { createReminders, dueReminders, REMINDER_LEAD_MS } from './reminders.ts';

const NOW = Date.parse('2026-12-07T08:50:00.000Z');
const MINUTE = 60_000;
const ALL: NotificationSettings = { notifications: 'all', notificationPreviews: true };

const entry = (meetingId: string, title: string, startsAt: number): Calendar['entries'][number] => ({
  kind: 'tandem',
  meetingId,
  title,
  startsAt: new Date(startsAt).toISOString(),
  endsAt: null,
  joinCode: 'abc',
  linked: null,
  linkedAccount: null,
  occurrenceId: new Date(startsAt).toISOString(),
  timeZone: 'Europe/Berlin',
});

describe('dueReminders', () => {
  const upcoming = [
    { meetingId: 'm-1', title: 'Stand-up', startsAt: new Date(NOW + 8 * MINUTE).toISOString() },
    { meetingId: 'm-2', title: 'Later', startsAt: new Date(NOW + REMINDER_LEAD_MS + MINUTE).toISOString() },
    { meetingId: 'm-3', title: 'Begun', startsAt: new Date(NOW - MINUTE).toISOString() },
  ];

  it('reminds of what starts within the lead, once per occurrence', () => {
    const due = dueReminders({ upcoming, shown: new Set(), now: NOW, settings: ALL });
    expect(due.map((d) => [d.meetingId, d.title])).toEqual([['m-1', 'Stand-up in 8 minutes']]);
    const key = due[0]?.key ?? '';
    expect(dueReminders({ upcoming, shown: new Set([key]), now: NOW, settings: ALL })).toEqual([]);
  });

  it('reminds of nothing with notifications off', () => {
    expect(dueReminders({ upcoming, shown: new Set(), now: NOW, settings: { ...ALL, notifications: 'off' } })).toEqual(
      [],
    );
  });
});

describe('createReminders with the notifications', () => {
  function setup(dnd = { on: false }) {
    const centre = notificationCentre();
    const opened: unknown[] = [];
    const notifications = createNotifications({
      surface: centre,
      self: () => ({ id: 'u-grace', name: 'Grace' }),
      settings: async () => ALL,
      message: async () => null,
      inThread: async () => false,
      conversation: async () => null,
      openPage: () => undefined,
      meeting: async () => null,
      doNotDisturb: () => dnd.on,
      emit: (event: IpcEvent, payload: unknown) => void opened.push({ event, payload }),
    });
    let now = NOW;
    const ticks: (() => void)[] = [];
    const asked: unknown[] = [];
    const entries = [entry('m-1', 'Stand-up', NOW + 12 * MINUTE), entry('m-1', 'Stand-up', NOW + 7 * 24 * 60 * MINUTE)];
    const reminders = createReminders({
      calendar: async (window) => {
        asked.push(window);
        return { entries, failures: [] };
      },
      settings: async () => ALL,
      show: (key, text, meetingId) => notifications.remind(key, text, meetingId),
      signedIn: () => true,
      onError: (e) => {
        throw e;
      },
      now: () => now,
      timers: {
        every: (_ms, run) => {
          ticks.push(run);
          return () => undefined;
        },
      },
    });
    const advance = async (ms: number) => {
      now += ms;
      for (const tick of ticks) tick();
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    return { centre, notifications, reminders, opened, asked, advance, dnd };
  }

  it('shows a reminder ten minutes before, once, and a click opens the meeting', async () => {
    const { centre, reminders, opened, asked, advance } = setup();
    await reminders.refresh();
    expect(asked[0]).toMatchObject({ only: 'tandem', from: new Date(NOW).toISOString() });
    expect(centre.shown).toEqual([]);
    await advance(3 * MINUTE);
    expect(centre.shown.map((n) => n.title)).toEqual(['Stand-up in 9 minutes']);
    await advance(MINUTE);
    expect(centre.shown).toHaveLength(1);
    expect(centre.click('Stand-up')).toBe(true);
    expect(opened).toEqual([
      { event: 'notification:open', payload: { target: { kind: 'meeting', meetingId: 'm-1' } } },
    ]);
  });

  it('shows nothing under do not disturb or while presenting', async () => {
    const { centre, notifications, reminders, advance, dnd } = setup({ on: true });
    await reminders.refresh();
    await advance(3 * MINUTE);
    expect(centre.shown).toEqual([]);
    dnd.on = false;
    notifications.setAttention({ viewing: null, presenting: true });
    reminders.clear();
    await reminders.refresh();
    await advance(MINUTE);
    expect(centre.shown).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { catalogueProblems } from '../../../scripts/catalogueCheck.ts';
import { dueReminders } from '../services/reminders.ts';
import { mainText } from './mainText.ts';
import { MAIN_MESSAGES } from './messages.ts';

/** Messages German reads the same as English on purpose ("Version", "in"). */
const SAME_AS_ENGLISH: Readonly<Record<string, ReadonlySet<string>>> = {
  de: new Set(['help.version', 'notify.where.named']),
};

const problemsOf = (locale: string, catalogue: Readonly<Record<string, string>>) =>
  catalogueProblems(locale, catalogue, MAIN_MESSAGES.en, SAME_AS_ENGLISH[locale]);

describe('main’s messages', () => {
  it('are complete in every language: each id, ICU, the same placeholders', () => {
    for (const [locale, catalogue] of Object.entries(MAIN_MESSAGES)) expect(problemsOf(locale, catalogue)).toEqual([]);
  });

  it('tell a locale that lacks an id, has a placeholder of its own or is still in English', () => {
    const { 'tray.quit': _quit, ...lacking } = MAIN_MESSAGES.de;
    expect(problemsOf('de', lacking)).toEqual(['de: tray.quit is missing']);
    expect(problemsOf('ja', { ...MAIN_MESSAGES.ja, 'notify.lobby': '{who}がロビーで待っています' })).toEqual([
      'ja: notify.lobby has placeholders who:1 where English has name:1',
    ]);
    expect(problemsOf('de', { ...MAIN_MESSAGES.de, 'tray.quit': 'Quit' })).toEqual([
      'de: tray.quit is still in English',
    ]);
  });

  const NOW = new Date(2026, 11, 3, 10, 0);
  const soon = (minutes: number) => ({
    upcoming: [
      { meetingId: 'm1', title: 'Standup', startsAt: new Date(NOW.getTime() + minutes * 60_000).toISOString() },
    ],
    shown: new Set<string>(),
    now: NOW.getTime(),
    settings: { notifications: 'all', notificationPreviews: true } as const,
  });

  it('speak English, with plurals', () => {
    const { t } = mainText('en');
    expect(t('badge.description', { count: 1 })).toBe('1 unread message');
    expect(t('badge.description', { count: 3 })).toBe('3 unread messages');
    expect(t('notify.count', { count: 2, where: t('notify.where.named', { name: 'general' }) })).toBe(
      '2 new messages in general',
    );
    expect(dueReminders({ ...soon(1), text: mainText('en') })[0]?.title).toBe('Standup in 1 minute');
    expect(dueReminders({ ...soon(5), text: mainText('en') })[0]?.title).toBe('Standup in 5 minutes');
    expect(mainText('en').dates.meetingWhen({ startsAt: null, endsAt: null }, NOW)).toBe('Any time');
  });

  it('speak German, with plurals and German times', () => {
    const de = mainText('de');
    expect(de.t('badge.description', { count: 1 })).toBe('1 ungelesene Nachricht');
    expect(de.t('badge.description', { count: 4 })).toBe('4 ungelesene Nachrichten');
    const [reminder] = dueReminders({ ...soon(5), text: de });
    expect(reminder).toMatchObject({ title: 'Standup in 5 Minuten', body: 'Beginnt um 10:05' });
    const tomorrow = new Date(2026, 11, 4, 14, 0).toISOString();
    expect(de.dates.meetingWhen({ startsAt: tomorrow, endsAt: null }, NOW)).toBe('Morgen, 14:00');
  });

  it('speak Japanese, counting with 件', () => {
    const ja = mainText('ja');
    expect(ja.t('badge.description', { count: 1 })).toBe('未読メッセージ 1 件');
    expect(ja.t('tray.tooltip', { product: 'Tandem', status: 'away', unread: 2 })).toBe('Tandem: 退席中、未読 2 件');
    expect(dueReminders({ ...soon(3), text: ja })[0]?.title).toBe('Standupまであと3 分');
    expect(ja.dates.meetingWhen({ startsAt: null, endsAt: null }, NOW)).toBe('いつでも');
  });

  it('fall back to English for the right-to-left pseudo-locale, a test aid of the renderer', () => {
    expect(mainText('ar-XB').t('tray.quit')).toBe('Quit');
  });
});

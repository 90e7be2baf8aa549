import { createIntl } from 'react-intl';
import { describe, expect, it } from 'vitest';
import { messagesOf } from './catalogue.ts';
import { createTranslator } from './translator.ts';
import { datesIn } from './useDates.ts';

const datesOf = (locale: 'en' | 'de' | 'ja') =>
  datesIn(createIntl({ locale, messages: messagesOf(locale), timeZone: 'UTC' }), createTranslator(locale));

describe('dates and times in the shown language (Intl)', () => {
  const now = new Date('2026-12-03T10:00:00Z');
  const start = new Date('2026-12-04T14:00:00Z');
  const end = new Date('2026-12-04T14:30:00Z');

  it('say today, tomorrow and other days in each language, with the locale’s own formats', () => {
    expect(datesOf('en').span(start, end, now)).toBe('Tomorrow, 02:00 PM–02:30 PM');
    expect(datesOf('de').span(start, end, now)).toBe('Morgen, 14:00–14:30');
    expect(datesOf('ja').span(start, end, now)).toBe('明日 14:00～14:30');
    const later = new Date('2026-12-10T09:00:00Z');
    expect(datesOf('de').when(later, now)).toBe('Do., 10. Dez., 09:00');
    expect(datesOf('ja').meetingWhen({ startsAt: null, endsAt: null }, now)).toBe('いつでも');
  });
});

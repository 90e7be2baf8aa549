import { DATE_FORMATS, datesWith, type Dates, type ShippedLocale } from '@tandem/shared';
import { IntlMessageFormat } from 'intl-messageformat';
import { MAIN_MESSAGES, type MainMessageId } from './messages.ts';

/** What a message fills its placeholders with. */
export type MessageValues = Readonly<Record<string, string | number>>;

/** Main's words in one language: its messages, and dates said the way the renderer says them. */
export type MainText = {
  readonly locale: TranslatedLocale;
  readonly t: (id: MainMessageId, values?: MessageValues) => string;
  readonly dates: Dates;
  /** "14:05" in the language's own format. */
  readonly time: (at: Date) => string;
};

type TranslatedLocale = keyof typeof MAIN_MESSAGES;

const made = new Map<TranslatedLocale, MainText>();

function create(locale: TranslatedLocale): MainText {
  const messages: Readonly<Record<MainMessageId, string>> = MAIN_MESSAGES[locale];
  const formats = new Map<MainMessageId, IntlMessageFormat>();
  const t = (id: MainMessageId, values: MessageValues = {}): string => {
    let format = formats.get(id);
    if (format === undefined) {
      format = new IntlMessageFormat(messages[id], locale);
      formats.set(id, format);
    }
    const text = format.format<string>(values);
    return Array.isArray(text) ? text.join('') : text;
  };
  const timeFormat = new Intl.DateTimeFormat(locale, DATE_FORMATS.time);
  const dayFormat = new Intl.DateTimeFormat(locale, DATE_FORMATS.day);
  const time = (at: Date) => timeFormat.format(at);
  return {
    locale,
    t,
    time,
    dates: datesWith({
      time,
      day: (at) => dayFormat.format(at),
      range: (start, end) => t('date.range', { start, end }),
      today: (times) => t('date.today', { times }),
      tomorrow: (times) => t('date.tomorrow', { times }),
      onDay: (day, times) => t('date.day', { day, times }),
      anyTime: t('date.anyTime'),
    }),
  };
}

/**
 * Main's words in `locale` (the app's language as `resolveLocale` picks it). The renderer's
 * right-to-left pseudo-locale is its own test aid: main speaks English then.
 */
export function mainText(locale: ShippedLocale): MainText {
  const translated: TranslatedLocale = locale === 'ar-XB' ? 'en' : locale;
  let text = made.get(translated);
  if (text === undefined) {
    text = create(translated);
    made.set(translated, text);
  }
  return text;
}

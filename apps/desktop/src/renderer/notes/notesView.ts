import type { NoteItemKind } from '@tandem/shared';
import type { MessageId } from '../i18n/locales/en.ts';

export const KIND_LABEL: Readonly<Record<NoteItemKind, MessageId>> = {
  decision: 'decisions.decision',
  action: 'notes.kind.action',
};

/** A moment of the meeting as people read it: "2:05", or "1:02:05" past an hour. */
export function clockOf(ms: number): string {
  const whole = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A due date (YYYY-MM-DD, a calendar day) as words: "Fri, 4 Dec 2026", read the same in every zone. */
export function dayText(date: string, locale?: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)));
}

/** Today's date on this machine, as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * What the composer holds once a message it sent went out: empty, unless something else was
 * written while it was sending (the next message, typed at once): that stays.
 */
export function draftAfterSend(current: string, sent: string): string {
  return current.trim() === sent ? '' : current;
}

/** Up to two initials for an avatar: "Ada Lovelace" → "AL", "bob" → "B". */
export function initialsOf(name: string): string {
  const words = name
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words.slice(0, 1);
  return letters
    .map((w) => (w === undefined ? '' : (Array.from(w)[0] ?? '')))
    .join('')
    .toUpperCase();
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

/** "14:05" today, "Tue 3 Mar, 14:05" on other days, relative to `now`. */
export function formatWhen(at: Date, now: Date): string {
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay ? timeFormat.format(at) : `${dayFormat.format(at)}, ${timeFormat.format(at)}`;
}

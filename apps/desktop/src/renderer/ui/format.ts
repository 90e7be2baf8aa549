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

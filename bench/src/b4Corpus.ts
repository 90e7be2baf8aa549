/** B4's synthetic chat corpus, shared by the writer and the fresh reader processes. */

/** A vocabulary with a skewed frequency, so a common word hits ~10% of messages and a rare one a handful. */
const WORDS = Array.from({ length: 4000 }, (_, i) => `w${i.toString(36)}`);
export const COMMON_TERM = 'roadmap';
export const RARE_TERM = 'quetzalcoatl';

export function body(n: number): string {
  const words: string[] = [];
  const length = 6 + (n % 14);
  for (let i = 0; i < length; i += 1) words.push(WORDS[(n * 7919 + i * 104729) % WORDS.length] ?? 'x');
  if (n % 10 === 0) words.push(COMMON_TERM);
  if (n % 100_000 === 7) words.push(RARE_TERM);
  return words.join(' ');
}

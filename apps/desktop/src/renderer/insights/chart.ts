/** The top of a chart's axis: the smallest of 1, 2, 2.5 or 5 times a power of ten at or above the largest value. */
export function niceMax(largest: number): number {
  if (!(largest > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(largest));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= largest) return step * power;
  return 10 * power;
}

/** A duration as people say it: "45 s", "12 min", "1 h 05 min". */
export function durationText(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A share (0 to 1) as a whole percentage. */
export const percent = (share: number): string => `${Math.round(share * 100)} %`;

/** A week's Monday (YYYY-MM-DD) as a short label: "30 Nov" or "Nov 30", the same in every zone. */
export function weekLabel(date: string, locale?: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)),
  );
}

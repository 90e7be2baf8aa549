/** What a clock in `zone` reads at `at` (epoch ms), as the calendar shows it: two-digit hours, 24-hour (`03:00`). */
export const clockIn = (zone: string, at: number): string =>
  new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

export * from './ics.ts';
export { formatSpan, formatTime, formatWhen, meetingWhen } from './span.ts';
export { isTimeZone } from './timeZone.ts';
export * from './utf8.ts';

export * from './ics.ts';
export {
  DATE_FORMATS,
  datesWith,
  formatSpan,
  formatTime,
  formatWhen,
  meetingWhen,
  type DateWords,
  type Dates,
} from './span.ts';
export { isTimeZone } from './timeZone.ts';
export * from './utf8.ts';

export * from './ics.ts';
export { isTimeZone } from './timeZone.ts';
export * from './utf8.ts';

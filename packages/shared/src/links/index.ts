export * from './join.ts';
export * from './meetingLink.ts';
export * from './phone.ts';

export * from './edit.ts';
export * from './element.ts';
export * from './frame.ts';
export * from './messages.ts';
export * from './permission.ts';
export * from './reconcile.ts';
export * from './whiteboard.ts';

export * from './errors.ts';
export { prebuild } from './lazySchema.ts';
export * from './product.ts';
export * from './ipc/index.ts';
export * from './deepLink.ts';
export * from './mentions.ts';
export * from './policy.ts';
export * from './recorder.ts';
export * from './transcriber.ts';
export * from './uuidv7.ts';
export * from './lobbyWait.ts';
export * from './directory.ts';
export * from './api/index.ts';
/** Namespaced: its names (Scene, undo, snapshot, …) are generic outside annotation. */
export * as annotations from './annotations/index.ts';
export * from './links/index.ts';
export * from './calendar/index.ts';

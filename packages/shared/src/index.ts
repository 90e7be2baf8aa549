export * from './errors.ts';
export * from './product.ts';
export * from './ipc/index.ts';
export * from './deepLink.ts';
export * from './policy.ts';
export * from './api/index.ts';

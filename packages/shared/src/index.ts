export * from './errors.ts';
export * from './product.ts';
export * from './policy.ts';

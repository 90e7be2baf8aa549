export * from './errors.ts';
export * from './product.ts';

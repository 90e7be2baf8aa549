import { describe, expect, it } from 'vitest';
import { ownUiOrigins } from './uiOrigin.ts';

describe('ownUiOrigins', () => {
  it('admits our app origin and the named dev origin, nothing else', () => {
    const isOwn = ownUiOrigins(['http://localhost:5173/']);
    expect(isOwn('app://tandem/index.html#/call')).toBe(true);
    expect(isOwn('http://localhost:5173/?bridge=x')).toBe(true);
    expect(isOwn('http://localhost:5174/')).toBe(false);
    expect(isOwn('app://tandem.evil/index.html')).toBe(false);
    expect(isOwn('https://tandem/')).toBe(false);
    expect(isOwn('about:blank')).toBe(false);
    expect(isOwn('')).toBe(false);
  });
});

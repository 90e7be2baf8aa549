import { describe, expect, it } from 'vitest';
import { chosenEnd } from './StatusMenu.tsx';

describe('how long a chosen status lasts', () => {
  it('ends after the hours chosen, tomorrow at nine, or never by itself', () => {
    const now = new Date(2026, 11, 3, 14, 30);
    expect(chosenEnd('off', now)).toBeNull();
    expect(chosenEnd('60', now)).toBe(new Date(2026, 11, 3, 15, 30).toISOString());
    expect(chosenEnd('240', now)).toBe(new Date(2026, 11, 3, 18, 30).toISOString());
    expect(chosenEnd('tomorrow', now)).toBe(new Date(2026, 11, 4, 9, 0).toISOString());
  });
});

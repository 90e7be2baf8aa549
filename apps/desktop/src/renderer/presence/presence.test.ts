import { describe, expect, it } from 'vitest';
import { dndEnd } from './StatusMenu.tsx';

describe('do not disturb durations', () => {
  it('ends after the hours chosen, tomorrow at nine, or never by itself', () => {
    const now = new Date(2026, 11, 3, 14, 30);
    expect(dndEnd('off', now)).toBeNull();
    expect(dndEnd('60', now)).toBe(new Date(2026, 11, 3, 15, 30).toISOString());
    expect(dndEnd('240', now)).toBe(new Date(2026, 11, 3, 18, 30).toISOString());
    expect(dndEnd('tomorrow', now)).toBe(new Date(2026, 11, 4, 9, 0).toISOString());
  });
});

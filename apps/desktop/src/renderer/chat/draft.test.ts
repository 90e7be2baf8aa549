import { describe, expect, it } from 'vitest';
import { draftAfterSend } from './draft.ts';

describe('draftAfterSend', () => {
  it('empties the composer that still holds what was sent', () => {
    expect(draftAfterSend('Kick-off on Monday', 'Kick-off on Monday')).toBe('');
    expect(draftAfterSend('  Kick-off on Monday\n', 'Kick-off on Monday')).toBe('');
  });

  it('keeps the next message, written while the first was sending', () => {
    expect(draftAfterSend('Slides are in the shared folder', 'Kick-off on Monday')).toBe(
      'Slides are in the shared folder',
    );
    expect(draftAfterSend('Kick-off on Monday, and', 'Kick-off on Monday')).toBe('Kick-off on Monday, and');
  });
});

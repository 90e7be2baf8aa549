import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyTextChange, caretAfter } from './binding.ts';

describe('text fields in the shared document', () => {
  it('applies a change as the smallest edit, so two people typing in one text merge', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ta = a.getText('t');
    ta.insert(0, 'Deliver to dock 4.');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const tb = b.getText('t');
    applyTextChange(ta, 'Deliver to dock 4. Call first.');
    applyTextChange(tb, 'Urgent. Deliver to dock 4.');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(ta.toString()).toBe('Urgent. Deliver to dock 4. Call first.');
    expect(tb.toString()).toBe(ta.toString());
  });

  it('keeps the caret where it was in the words when someone else types before or after it', () => {
    // "Deliver." with the caret at its end (8): "Urgent. " inserted at 0 moves it on by 8.
    expect(caretAfter([{ insert: 'Urgent. ' }], 8)).toBe(16);
    // Text added after the caret leaves it.
    expect(caretAfter([{ retain: 8 }, { insert: ' Call first.' }], 3)).toBe(3);
    // Deleted before it pulls it back, but not past where the deletion started.
    expect(caretAfter([{ retain: 2 }, { delete: 4 }], 5)).toBe(2);
    expect(caretAfter([{ retain: 2 }, { delete: 2 }], 8)).toBe(6);
  });
});

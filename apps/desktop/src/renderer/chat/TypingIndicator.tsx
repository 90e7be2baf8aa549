import { useEffect, useState } from 'react';
import { useAppStore } from '../store/appStore.ts';
import { typingAt, typingText } from './typing.ts';
import { useT } from '../i18n/useT.ts';

/** A timer may wake a little before the clock reaches its moment; waking after it is harmless. */
const LAPSE_MARGIN_MS = 50;

/**
 * "Ada Demo is typing…" under a conversation's messages. The live region is always there (a
 * region that appears with its text is not announced); its text lapses by itself.
 */
export function TypingIndicator({ conversationId }: { readonly conversationId: string }) {
  const t = useT();
  const typists = useAppStore((s) => s.typing[conversationId]);
  /** Bumped when a writer lapses: the line is worked out afresh from the clock. */
  const [, setWoken] = useState(0);
  const { names, changesAt } = typingAt(typists ?? {}, Date.now());

  // Wakes up when the next writer lapses, so the line changes without a new signal.
  useEffect(() => {
    if (changesAt === null) return;
    const timer = setTimeout(() => setWoken((n) => n + 1), Math.max(0, changesAt - Date.now()) + LAPSE_MARGIN_MS);
    return () => clearTimeout(timer);
  }, [changesAt]);

  return (
    <p className="typing-indicator" aria-live="polite">
      {typingText(names, t)}
    </p>
  );
}

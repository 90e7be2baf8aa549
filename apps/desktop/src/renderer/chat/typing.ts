import { TYPING_SIGNAL } from '@tandem/shared';
import { translateNow } from '../i18n/current.ts';
import type { Translate } from '../i18n/useT.ts';

/**
 * The writer's side: what the composer tells others while a draft changes. A start goes out on
 * the first keystroke and again at most every `repeatMs` while typing goes on; a stop goes out
 * once when the draft is cleared or sent (`stop`), and only after a start.
 */
export type TypingSignal = {
  /** The draft changed (a keystroke, a paste, an inserted mention). */
  draftChanged(draft: string): void;
  /** The draft was sent or abandoned. */
  stop(): void;
};

export function createTypingSignal(
  send: (typing: boolean) => void,
  options: { readonly repeatMs?: number; readonly now?: () => number } = {},
): TypingSignal {
  const repeatMs = options.repeatMs ?? TYPING_SIGNAL.repeatMs;
  const now = options.now ?? Date.now;
  /** When the last start went out; null while not typing. */
  let lastStart: number | null = null;

  const stop = () => {
    if (lastStart === null) return;
    lastStart = null;
    send(false);
  };
  return {
    draftChanged(draft) {
      if (draft.trim() === '') return stop();
      const at = now();
      if (lastStart !== null && at - lastStart < repeatMs) return;
      lastStart = at;
      send(true);
    },
    stop,
  };
}

/** The reader's side: who is writing in one conversation, each until their signal lapses. */
export type Typists = Readonly<Record<string, { readonly name: string; readonly until: number }>>;

export type HeardTyping = { readonly userId: string; readonly name: string; readonly typing: boolean };

/** The typists after a signal at `now`; lapsed ones are dropped on the way. */
export function heardTyping(
  typists: Typists,
  signal: HeardTyping,
  now: number,
  expireMs = TYPING_SIGNAL.expireMs,
): Typists {
  const next: Record<string, { name: string; until: number }> = {};
  for (const [userId, typist] of Object.entries(typists))
    if (typist.until > now && userId !== signal.userId) next[userId] = typist;
  if (signal.typing) next[signal.userId] = { name: signal.name, until: now + expireMs };
  return next;
}

/** Who is writing at `now`, by name, and when that next changes by itself (null: it does not). */
export function typingAt(
  typists: Typists,
  now: number,
): { readonly names: string[]; readonly changesAt: number | null } {
  const live = Object.values(typists).filter((t) => t.until > now);
  return {
    names: live.map((t) => t.name).sort((a, b) => a.localeCompare(b)),
    changesAt: live.length === 0 ? null : Math.min(...live.map((t) => t.until)),
  };
}

/** What the line under the messages says. */
export function typingText(names: readonly string[], t: Translate = translateNow): string {
  const [first, second] = names;
  return first === undefined ? '' : t('chat.typing', { count: names.length, first, second: second ?? '' });
}

import { useRoomContext } from '@livekit/components-react';
import { REACTION_EMOJI, REACTIONS_TOPIC, ReactionMessageSchema, type ReactionMessage } from '@tandem/shared';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import { createRateLimiter } from './reactions.ts';
import { onTopic, publishJson } from './roomData.ts';
import { useWebinar } from '../webinar/WebinarContext.tsx';
import { useT } from '../i18n/useT.ts';

type Shown = { readonly id: number; readonly identity: string; readonly emoji: ReactionMessage['emoji'] };
type ReactionsState = { readonly shown: readonly Shown[] };

/** How long a reaction floats over a tile. */
const SHOW_MS = 4000;

type Reactions = { readonly store: StoreApi<ReactionsState>; send(emoji: ReactionMessage['emoji']): boolean };
const ReactionsContext = createContext<Reactions | undefined>(undefined);

/** Emoji reactions over LiveKit data (lossy, rate-limited both ways), shown over the sender's tile. */
export function ReactionsProvider({ children }: { readonly children: ReactNode }) {
  const room = useRoomContext();
  const [value, setValue] = useState<Reactions | null>(null);

  useEffect(() => {
    const store = createStore<ReactionsState>()(() => ({ shown: [] }));
    const allow = createRateLimiter();
    let next = 0;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const show = (identity: string, emoji: Shown['emoji']) => {
      const id = next++;
      store.setState((s) => ({ shown: [...s.shown, { id, identity, emoji }] }));
      const timer = setTimeout(() => {
        timers.delete(timer);
        store.setState((s) => ({ shown: s.shown.filter((r) => r.id !== id) }));
      }, SHOW_MS);
      timers.add(timer);
    };
    const off = onTopic(room, REACTIONS_TOPIC, (json, sender) => {
      const parsed = ReactionMessageSchema.safeParse(json);
      if (parsed.success && allow(sender.identity)) show(sender.identity, parsed.data.emoji);
    });
    setValue({
      store,
      send(emoji) {
        const self = room.localParticipant.identity;
        if (!allow(self)) return false;
        show(self, emoji);
        const message: ReactionMessage = { t: 'reaction', emoji };
        void publishJson(room, REACTIONS_TOPIC, message).catch(() => undefined);
        return true;
      },
    });
    return () => {
      off();
      for (const timer of timers) clearTimeout(timer);
    };
  }, [room]);

  return value === null ? null : <ReactionsContext.Provider value={value}>{children}</ReactionsContext.Provider>;
}

function useReactions(): Reactions {
  const value = useContext(ReactionsContext);
  if (value === undefined) throw new Error('reaction hooks must be used inside ReactionsProvider');
  return value;
}

/** Floating reactions of one participant, laid over their tile. */
export function TileReactions({ identity }: { readonly identity: string }) {
  const { store } = useReactions();
  const t = useT();
  const shown = useStore(store, (s) => s.shown);
  const mine = shown.filter((r) => r.identity === identity);
  if (mine.length === 0) return null;
  return (
    <div className="tile-reactions" aria-live="polite">
      {mine.map((r) => (
        <span key={r.id} className="tile-reaction" role="img" aria-label={t('collab.reaction', { emoji: r.emoji })}>
          {r.emoji}
        </span>
      ))}
    </div>
  );
}

/**
 * The emoji picker the control bar's React control opens. A webinar's audience publishes nothing:
 * its reactions go through the server, which sends them into the room for everyone.
 */
export function ReactionPicker() {
  const t = useT();
  const { send } = useReactions();
  const { seat, react } = useWebinar();
  const [limited, setLimited] = useState(false);
  const choose = (emoji: ReactionMessage['emoji']) => {
    if (seat === 'attendee') void react(emoji).then((sent) => setLimited(!sent));
    else setLimited(!send(emoji));
  };
  return (
    <>
      {REACTION_EMOJI.map((emoji) => (
        <button
          key={emoji}
          type="button"
          className="reaction-choice"
          aria-label={t('collab.react', { emoji })}
          onClick={() => choose(emoji)}
        >
          {emoji}
        </button>
      ))}
      {limited ? <p className="annotation-note">{t('collab.react.slow')}</p> : null}
    </>
  );
}

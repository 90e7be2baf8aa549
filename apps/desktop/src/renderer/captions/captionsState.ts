import type { CaptionMessage, CaptionsUnavailable, PartialCaption, TranscriptSegment } from '@tandem/shared';
import { translateNow } from '../i18n/current.ts';
import type { Translate } from '../i18n/useT.ts';

/** How many captions stay on screen: the newest, under the ones before. */
export const CAPTION_LINES = 3;

/**
 * One person's captions in one call. `shown` is their own choice (nobody else's captions change);
 * `unavailable` is null once the server said the meeting has captions, `loading` until it answered.
 */
export type CaptionsState = {
  readonly shown: boolean;
  readonly unavailable: CaptionsUnavailable | 'loading' | null;
  readonly lines: readonly TranscriptSegment[];
  /** Utterances still under way (interim captions), one each, oldest first, shown after the lines. */
  readonly interim: readonly PartialCaption[];
  /** The utterances whose caption came lately: a partial of one arriving after it is stale. */
  readonly finished: readonly string[];
};

export const initialCaptionsState: CaptionsState = {
  shown: false,
  unavailable: 'loading',
  lines: [],
  interim: [],
  finished: [],
};

/** How many finished utterances are remembered, against partials that arrive after their caption. */
const FINISHED_KEPT = 32;

/**
 * A caption or an interim one arrived (kept while hidden too, so turning them on shows the
 * latest). A caption joins the newest lines and ends its utterance's interim caption; a partial
 * replaces its utterance's earlier one, unless the utterance's caption came already.
 */
export function addCaption(state: CaptionsState, message: CaptionMessage): CaptionsState {
  if (message.type === 'partial') {
    if (state.finished.includes(message.utterance)) return state;
    const others = state.interim.filter((p) => p.utterance !== message.utterance);
    const interim = [...others, message].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).slice(-CAPTION_LINES);
    return { ...state, interim };
  }
  const { segment, utterance } = message;
  const interim = utterance === undefined ? state.interim : state.interim.filter((p) => p.utterance !== utterance);
  const finished = utterance === undefined ? state.finished : [...state.finished, utterance].slice(-FINISHED_KEPT);
  if (state.lines.some((l) => l.id === segment.id)) return { ...state, interim, finished };
  const lines = [...state.lines, segment].sort((a, b) => a.endedAt.localeCompare(b.endedAt)).slice(-CAPTION_LINES);
  return { ...state, lines, interim, finished };
}

/** Why the CC control is disabled, in words for the person in the call; undefined when it works. */
export function unavailableText(why: CaptionsState['unavailable'], t: Translate = translateNow): string | undefined {
  switch (why) {
    case null:
      return undefined;
    case 'loading':
      return t('captions.unavailable.loading');
    case 'model':
      return t('captions.unavailable.model');
    case 'organisation':
      return t('captions.unavailable.organisation');
    case 'policy':
      return t('captions.unavailable.policy');
    case 'e2ee':
      return t('captions.unavailable.e2ee');
    default: {
      const never: never = why;
      throw new Error(`unknown reason ${String(never)}`);
    }
  }
}

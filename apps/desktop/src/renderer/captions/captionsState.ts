import type { CaptionsUnavailable, TranscriptSegment } from '@tandem/shared';
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
};

export const initialCaptionsState: CaptionsState = { shown: false, unavailable: 'loading', lines: [] };

/** A caption arrived: it joins the newest lines (kept while hidden too, so turning them on shows the latest). */
export function addCaption(state: CaptionsState, segment: TranscriptSegment): CaptionsState {
  if (state.lines.some((l) => l.id === segment.id)) return state;
  const lines = [...state.lines, segment].sort((a, b) => a.endedAt.localeCompare(b.endedAt)).slice(-CAPTION_LINES);
  return { ...state, lines };
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

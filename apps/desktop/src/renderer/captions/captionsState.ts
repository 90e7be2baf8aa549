import type { CaptionsUnavailable, TranscriptSegment } from '@tandem/shared';

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
export function unavailableText(why: CaptionsState['unavailable']): string | undefined {
  switch (why) {
    case null:
      return undefined;
    case 'loading':
      return 'Checking whether this meeting has captions…';
    case 'model':
      return 'Captions are unavailable: the speech model is not installed on the server.';
    case 'organisation':
      return 'Captions are turned off in your organisation.';
    case 'policy':
      return 'Captions are turned off on this server by IT policy.';
    case 'e2ee':
      return 'This meeting is end-to-end encrypted: the server cannot hear it, so it has no captions.';
    default: {
      const never: never = why;
      throw new Error(`unknown reason ${String(never)}`);
    }
  }
}

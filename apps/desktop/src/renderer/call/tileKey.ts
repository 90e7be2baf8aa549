import type { Track } from 'livekit-client';

/** One key per participant and source, stable while they stay in the call. */
export function tileKey(identity: string, source: Track.Source): string {
  return `${identity}:${source}`;
}

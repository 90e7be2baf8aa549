import { Track } from 'livekit-client';

/** The part of LiveKit's ParticipantPermission that decides what a participant may publish. */
export type PublishPermission = {
  readonly canPublish: boolean;
  /** Protocol track sources; empty means every source. */
  readonly canPublishSources: readonly number[];
};

/**
 * Whether the token lets us publish `source`. Until the room has told us (undefined), controls
 * stay enabled rather than flicker off; the server enforces the grant either way.
 */
export function mayPublish(permission: PublishPermission | undefined, source: Track.Source): boolean {
  if (permission === undefined) return true;
  if (!permission.canPublish) return false;
  return (
    permission.canPublishSources.length === 0 || permission.canPublishSources.includes(Track.sourceToProto(source))
  );
}

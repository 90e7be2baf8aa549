import type { LivekitConnection } from '@tandem/shared';
import { ConnectionState, DisconnectReason, type LocalTrack, type Room, type Track } from 'livekit-client';

/** Rooms in the middle of a move: their disconnect is ours and does not end the call. */
const moving = new WeakSet<Room>();
/**
 * Rooms connected to a breakout room. Closing the rooms ends them on the server, which can reach
 * us before the move back does: that disconnect means "wait for the move", not "call over".
 */
const inBreakout = new WeakSet<Room>();

export function isMoving(room: Room): boolean {
  return moving.has(room) || inBreakout.has(room);
}

/** How long a removal may precede the move message that explains it. */
const MOVE_GRACE_MS = 3_000;

/**
 * Whether a disconnect turned out to be the start of a move. Opening breakout rooms removes people
 * from the main room right after sending them the move, and the removal (straight from LiveKit)
 * can overtake the move (server → main → renderer): a removal is only final if no move follows.
 */
export async function movedAfterAll(room: Room, reason: DisconnectReason | undefined): Promise<boolean> {
  if (reason !== DisconnectReason.PARTICIPANT_REMOVED && reason !== DisconnectReason.ROOM_DELETED) return false;
  const deadline = Date.now() + MOVE_GRACE_MS;
  for (;;) {
    if (moving.has(room) || room.state === ConnectionState.Connected) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Moves the call to another LiveKit room (a breakout room, or back to the main one). Self-hosted
 * LiveKit cannot move a participant server-side, so the client leaves and joins with the token the
 * server minted for the target, and publishes the SAME local tracks again: the camera and
 * microphone stay open (no permission prompt, no device switch, no black frame from a restart).
 */
export async function moveRoom(room: Room, target: LivekitConnection, toBreakout: boolean): Promise<void> {
  const tracks: { readonly track: LocalTrack; readonly source: Track.Source; readonly name: string }[] = [];
  for (const publication of room.localParticipant.trackPublications.values()) {
    if (publication.track !== undefined)
      tracks.push({ track: publication.track, source: publication.source, name: publication.trackName });
  }
  moving.add(room);
  try {
    await room.disconnect(false);
    await room.connect(target.url, target.token);
    if (toBreakout) inBreakout.add(room);
    else inBreakout.delete(room);
  } finally {
    moving.delete(room);
  }
  for (const { track, source, name } of tracks) await room.localParticipant.publishTrack(track, { source, name });
}

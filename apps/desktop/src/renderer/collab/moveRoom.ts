import type { LivekitConnection } from '@tandem/shared';
import {
  DisconnectReason,
  LocalAudioTrack,
  type LocalTrack,
  LocalVideoTrack,
  type Room,
  RoomEvent,
  Track,
} from 'livekit-client';
import { createContext, useContext } from 'react';

/** How long a removal may precede the move that explains it (the server's grace is longer). */
const MOVE_GRACE_MS = 3_000;
/**
 * The longest a move waits, once connected to the target, for the first of the others' tracks
 * there: leaving before hearing anyone would open a gap of silence, waiting for ever would keep a
 * person in two rooms.
 */
const FIRST_TRACK_WAIT_MS = 1_500;

/**
 * The Room a call is in, which a breakout move replaces. Self-hosted LiveKit cannot move a
 * participant server-side, so the client does: it connects a NEW Room to the target with the
 * token the server minted, waits for the first of the others' tracks there, and only then leaves
 * the old room and publishes the SAME local tracks in the new one (the camera and microphone stay
 * open: no prompt, no device switch, no black frame). Until then the person still hears and sees
 * the old room; for a moment they are in both rooms' participant lists. If the target cannot be
 * reached the call stays where it is.
 */
export type CallRoom = {
  /** Moves the call to the target room; moves run one after the other. Rejects if the call stayed. */
  move(target: LivekitConnection): Promise<void>;
  /** Leaves for good: the current room, and a target a move was connecting to. */
  leave(): Promise<void>;
};

export function createCallRoom(
  first: Room,
  {
    makeRoom,
    onSwap,
    onEnded,
  }: {
    /** A Room with the call's options (quality, devices) for the target. */
    readonly makeRoom: () => Room;
    /** The call is in `room` now: everything that holds the Room follows (RoomContext). */
    readonly onSwap: (room: Room) => void;
    /** The current room ended without a move to explain it. */
    readonly onEnded: (reason: DisconnectReason | undefined) => void;
  },
): CallRoom {
  let current = first;
  let left = false;
  /** The move under way, if any (its target is `connecting`). */
  let moving: Promise<void> | undefined;
  let connecting: Room | undefined;
  let queue: Promise<void> = Promise.resolve();

  /**
   * A removal or a room's end may be a move's doing: the server removes stragglers from the main
   * room and ends closed breakout rooms (after a grace), and a slow move can still be under way
   * then. So it ends the call only if no move follows within MOVE_GRACE_MS, or the move fails.
   */
  async function movedAfterAll(room: Room, reason: DisconnectReason | undefined): Promise<boolean> {
    if (reason !== DisconnectReason.PARTICIPANT_REMOVED && reason !== DisconnectReason.ROOM_DELETED) return false;
    const deadline = Date.now() + MOVE_GRACE_MS;
    while (moving === undefined && current === room && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await moving?.catch(() => undefined);
    return current !== room;
  }

  const onDisconnected = (reason?: DisconnectReason) => {
    const room = current;
    void movedAfterAll(room, reason).then((moved) => {
      if (!left && !moved && current === room) onEnded(reason);
    });
  };
  first.on(RoomEvent.Disconnected, onDisconnected);

  async function moveOnce(target: LivekitConnection): Promise<void> {
    if (left) return;
    const from = current;
    // Read now as well: a removal that overtakes a slow move (the server's grace ran out) empties the room's list.
    const atStart = localTracks(from);
    const next = makeRoom();
    connecting = next;
    try {
      await next.connect(target.url, target.token);
      if (left) throw new Error('the call was left during the move');
      await firstRemoteTrack(next, FIRST_TRACK_WAIT_MS);
    } catch (e) {
      // The call stays where it was.
      await next.disconnect(false);
      throw e;
    } finally {
      connecting = undefined;
    }
    // And what was published meanwhile (a camera turned on mid-move).
    const tracks = [...new Map([...atStart, ...localTracks(from)].map((t) => [t.track, t])).values()];
    from.off(RoomEvent.Disconnected, onDisconnected);
    next.on(RoomEvent.Disconnected, onDisconnected);
    current = next;
    onSwap(next);
    // A LocalTrack has one sender and one audio context: it is published in the target only once
    // the old room let go of it. Unpublished first (without stopping): a track still published
    // when a room leaves is detached from that room's audio context later, asynchronously, which
    // would undo the new room's context and stop the microphone's processor (noise suppression).
    // The unpublish's renegotiation is not waited for: the leave right after cancels it.
    for (const { track } of tracks) void from.localParticipant.unpublishTrack(track, false).catch(() => undefined);
    await from.disconnect(false);
    await Promise.all(
      tracks.map(async ({ track, source, name }) => {
        // That removal stopped the tracks: the camera and microphone open again (a screen is chosen anew).
        if (track.mediaStreamTrack.readyState === 'ended') {
          if (source === Track.Source.ScreenShare || source === Track.Source.ScreenShareAudio) return;
          if (track instanceof LocalVideoTrack || track instanceof LocalAudioTrack) await track.restartTrack();
        }
        await next.localParticipant.publishTrack(track, { source, name });
      }),
    );
  }

  return {
    move(target) {
      const run = queue.then(() => {
        const once = moveOnce(target);
        moving = once;
        return once.finally(() => {
          if (moving === once) moving = undefined;
        });
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async leave() {
      left = true;
      current.off(RoomEvent.Disconnected, onDisconnected);
      await Promise.all([current.disconnect(), connecting?.disconnect()]);
    },
  };
}

/** What the local participant publishes in `room`, to publish the same tracks elsewhere. */
function localTracks(
  room: Room,
): { readonly track: LocalTrack; readonly source: Track.Source; readonly name: string }[] {
  const tracks: { readonly track: LocalTrack; readonly source: Track.Source; readonly name: string }[] = [];
  for (const publication of room.localParticipant.trackPublications.values())
    if (publication.track !== undefined)
      tracks.push({ track: publication.track, source: publication.source, name: publication.trackName });
  return tracks;
}

/** Resolves once one of the others' tracks is subscribed, at once if nobody there publishes, or after `ms`. */
function firstRemoteTrack(room: Room, ms: number): Promise<void> {
  const participants = [...room.remoteParticipants.values()];
  const publications = participants.flatMap((p) => [...p.trackPublications.values()]);
  if (publications.length === 0 || publications.some((p) => p.isSubscribed)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      room.off(RoomEvent.TrackSubscribed, done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    room.on(RoomEvent.TrackSubscribed, done);
  });
}

export type CallMover = { readonly move: (target: LivekitConnection) => Promise<void> };

/** The current call's mover (CallView provides it): collab code moves the call without holding its Room. */
export const CallMoverContext = createContext<CallMover | undefined>(undefined);

export function useCallMover(): CallMover {
  const mover = useContext(CallMoverContext);
  if (mover === undefined) throw new Error('useCallMover must be used inside a call (CallMoverContext)');
  return mover;
}

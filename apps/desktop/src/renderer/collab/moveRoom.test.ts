import { DisconnectReason, Room, RoomEvent } from 'livekit-client';
import { describe, expect, it } from 'vitest';
import { createCallRoom } from './moveRoom.ts';

/** A target no client can reach: its connect fails (nothing listens on port 1). */
const unreachable = {
  url: 'ws://127.0.0.1:1',
  token: 'not-a-token',
  room: 'breakout-x',
  identity: 'u1',
  role: 'attendee' as const,
  expiresAt: new Date(Date.now() + 60_000).toISOString(),
};

/** A call's room as CallView holds it, with what it reports recorded. */
function call() {
  const first = new Room();
  const swaps: Room[] = [];
  const ended: (DisconnectReason | undefined)[] = [];
  const made: Room[] = [];
  const callRoom = createCallRoom(first, {
    makeRoom: () => {
      const room = new Room();
      made.push(room);
      return room;
    },
    onSwap: (room) => swaps.push(room),
    onEnded: (reason) => ended.push(reason),
  });
  return { first, callRoom, swaps, ended, made };
}

describe('createCallRoom (real livekit-client Rooms, no SFU reachable)', () => {
  it('stays in the room it is in when the target cannot be reached, and a removal then ends the call', async () => {
    const { first, callRoom, swaps, ended, made } = call();
    await expect(callRoom.move(unreachable)).rejects.toThrow();
    expect(made).toHaveLength(1);
    expect(swaps).toEqual([]);
    expect(ended).toEqual([]);
    // No move follows this removal: after the grace it is final.
    first.emit(RoomEvent.Disconnected, DisconnectReason.PARTICIPANT_REMOVED);
    await expect.poll(() => ended, { timeout: 10_000 }).toEqual([DisconnectReason.PARTICIPANT_REMOVED]);
  });

  it('ends the call at once on a disconnect no move can explain, and not at all once left', async () => {
    const lost = call();
    lost.first.emit(RoomEvent.Disconnected, DisconnectReason.DUPLICATE_IDENTITY);
    await expect.poll(() => lost.ended).toEqual([DisconnectReason.DUPLICATE_IDENTITY]);

    const gone = call();
    await gone.callRoom.leave();
    gone.first.emit(RoomEvent.Disconnected, DisconnectReason.CLIENT_INITIATED);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(gone.ended).toEqual([]);
  });
});

/**
 * B6's participant page: one person's call as the app holds it (renderer/collab/moveRoom.ts's
 * `createCallRoom` with the app's Room options, renderer/media/roomOptions.ts), in Chromium with
 * livekit-client. It publishes nothing (as B6's rtc-node participants): twelve cameras on the
 * bench's two cores would measure the encoders, not the move. `b6Breakout.ts` drives it through
 * `window.b6`; times are `Date.now()`, the clock the driving process shares.
 */
import type { LivekitConnection } from '@tandem/shared';
import { Room, RoomEvent } from 'livekit-client';
import { createCallRoom, type CallRoom } from '../../../apps/desktop/src/renderer/collab/moveRoom.ts';
import { roomOptions } from '../../../apps/desktop/src/renderer/media/roomOptions.ts';

export type B6Page = {
  join(target: LivekitConnection): Promise<void>;
  /** Moves the call; resolves with when the target room connected and when the old one was left. */
  move(target: LivekitConnection): Promise<{ connected: number; left: number }>;
  leave(): Promise<void>;
};

let call: CallRoom | undefined;
let connectedAt = 0;

function makeRoom(): Room {
  const room = new Room(roomOptions({ quality: 'hd' }));
  room.once(RoomEvent.Connected, () => (connectedAt = Date.now()));
  return room;
}

const page: B6Page = {
  async join(target) {
    const room = makeRoom();
    await room.connect(target.url, target.token);
    call = createCallRoom(room, { makeRoom, onSwap: () => undefined, onEnded: () => undefined });
  },
  async move(target) {
    if (call === undefined) throw new Error('join first');
    await call.move(target);
    return { connected: connectedAt, left: Date.now() };
  },
  async leave() {
    await call?.leave();
  },
};
(window as unknown as { b6: B6Page }).b6 = page;

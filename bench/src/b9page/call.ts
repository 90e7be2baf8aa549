/// <reference types="vite/client" />
/**
 * B9's call page: one participant of a two-person call, set up as the app's CallView sets up its
 * Room (renderer/media/roomOptions: 1080p capture, simulcast, dynacast, adaptiveStream, RED, DTX)
 * and, when encrypted, with the app's own key provider and LiveKit's frame-encryption worker as
 * the app bundles it (renderer/e2ee). The meeting key is given here instead of being unwrapped
 * from the coordination server: how a key arrives costs nothing per frame. `b9Effects.ts` drives
 * two of these through `window.b9call`.
 */
import { Room, RoomEvent, Track } from 'livekit-client';
import { MeetingKeyProvider } from '../../../apps/desktop/src/renderer/e2ee/keyProvider.ts';
import { e2eeWorker } from '../../../apps/desktop/src/renderer/e2ee/worker.ts';
import { roomOptions } from '../../../apps/desktop/src/renderer/media/roomOptions.ts';

export type B9CallPage = {
  /** Joins, encrypted with this 32-byte meeting key or plain (null), and publishes camera and microphone. */
  join(url: string, token: string, meetingKey: number[] | null): Promise<void>;
  /**
   * Frames shown of the other participant's camera so far, its size, whether its tracks are
   * encrypted, and the height this participant's camera is captured at.
   */
  received(): { frames: number; width: number; height: number; encrypted: boolean; sentHeight: number };
  leave(): Promise<void>;
};

/** The meeting key's generation, as the first key a call makes. */
const GENERATION = 1;

const remote = document.getElementById('remote') as HTMLVideoElement;
let frames = 0;
let room: Room | undefined;
let worker: Worker | undefined;

const count = () => {
  frames += 1;
  remote.requestVideoFrameCallback(count);
};
remote.requestVideoFrameCallback(count);

const page: B9CallPage = {
  async join(url, token, meetingKey) {
    let encryption: { keyProvider: MeetingKeyProvider; worker: Worker } | undefined;
    if (meetingKey !== null) {
      const keyProvider = new MeetingKeyProvider();
      worker = e2eeWorker();
      encryption = { keyProvider, worker };
      await keyProvider.setGeneration(new Uint8Array(meetingKey), GENERATION);
    }
    const r = new Room(roomOptions({ quality: 'hd' }, encryption));
    room = r;
    r.on(RoomEvent.TrackSubscribed, (track) => {
      if (track.kind === Track.Kind.Video) track.attach(remote);
      else track.attach();
    });
    if (encryption !== undefined) await r.setE2EEEnabled(true);
    await r.connect(url, token);
    await Promise.all([r.localParticipant.setMicrophoneEnabled(true), r.localParticipant.setCameraEnabled(true)]);
    await remote.play().catch(() => undefined);
  },
  received() {
    const other = room === undefined ? undefined : [...room.remoteParticipants.values()][0];
    return {
      frames,
      width: remote.videoWidth,
      height: remote.videoHeight,
      encrypted: other?.isEncrypted ?? false,
      sentHeight: room?.localParticipant.getTrackPublication(Track.Source.Camera)?.track?.dimensions?.height ?? 0,
    };
  },
  async leave() {
    await room?.disconnect();
    worker?.terminate();
    room = undefined;
    worker = undefined;
    frames = 0;
  },
};

(window as unknown as { b9call: B9CallPage }).b9call = page;

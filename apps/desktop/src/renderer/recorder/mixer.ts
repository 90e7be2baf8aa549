import { RoomEvent, Track, type RemoteTrack, type Room } from 'livekit-client';

export type Mixer = {
  /** One audio track: everyone's microphone (and screen-share audio), mixed. */
  readonly stream: MediaStream;
  close(): Promise<void>;
};

/**
 * Mixes every subscribed audio track of the call with WebAudio. Chromium feeds a remote WebRTC
 * track into WebAudio only while it also plays in a media element, so each plays, muted, in a
 * hidden element too. The mix is silent, not absent, while nobody speaks: the recording always
 * has its audio stream.
 */
export function createMixer(room: Room, holder: HTMLElement): Mixer {
  const context = new AudioContext({ sampleRate: 48_000 });
  const destination = context.createMediaStreamDestination();
  const sources = new Map<RemoteTrack, { readonly node: AudioNode; readonly element: HTMLMediaElement }>();

  const add = (track: RemoteTrack) => {
    if (track.kind !== Track.Kind.Audio || sources.has(track)) return;
    const element = track.attach();
    element.muted = true;
    holder.append(element);
    const node = context.createMediaStreamSource(new MediaStream([track.mediaStreamTrack]));
    node.connect(destination);
    sources.set(track, { node, element });
  };
  const remove = (track: RemoteTrack) => {
    const source = sources.get(track);
    if (source === undefined) return;
    source.node.disconnect();
    track.detach(source.element);
    source.element.remove();
    sources.delete(track);
  };
  room.on(RoomEvent.TrackSubscribed, add);
  room.on(RoomEvent.TrackUnsubscribed, remove);
  void context.resume();

  return {
    stream: destination.stream,
    async close() {
      room.off(RoomEvent.TrackSubscribed, add);
      room.off(RoomEvent.TrackUnsubscribed, remove);
      for (const track of [...sources.keys()]) remove(track);
      await context.close();
    },
  };
}

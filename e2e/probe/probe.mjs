// The smallest client that proves the media path: join, publish the fake camera, and count
// frames decoded from every remote video track. Driven by media.e2e.test.ts.
import { Room, RoomEvent, Track, createLocalVideoTrack } from '/livekit-client/livekit-client.esm.mjs';

const decodedFrames = new Map();

function countFrames(video, identity) {
  decodedFrames.set(identity, 0);
  const onFrame = () => {
    decodedFrames.set(identity, (decodedFrames.get(identity) ?? 0) + 1);
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
}

window.probe = {
  async join(url, token) {
    const room = new Room({ adaptiveStream: false, dynacast: true });
    room.on(RoomEvent.TrackSubscribed, (track, _pub, participant) => {
      if (track.kind !== Track.Kind.Video) return;
      const video = track.attach();
      video.muted = true;
      video.dataset.identity = participant.identity;
      document.getElementById('videos').append(video);
      countFrames(video, participant.identity);
    });
    await room.connect(url, token);
    const camera = await createLocalVideoTrack({ resolution: { width: 640, height: 360 } });
    await room.localParticipant.publishTrack(camera, { simulcast: true });
    window.room = room;
    return room.localParticipant.identity;
  },
  /**
   * Joins without publishing and times it: `connectMs` until room.connect resolves, and
   * `firstFrameMs` until the first video frame of any remote track is decoded.
   */
  async joinTimed(url, token) {
    const room = new Room({ adaptiveStream: true, dynacast: true });
    const start = performance.now();
    const firstFrame = new Promise((resolve) => {
      room.on(RoomEvent.TrackSubscribed, (track) => {
        if (track.kind !== Track.Kind.Video) return;
        const video = track.attach();
        video.muted = true;
        document.getElementById('videos').append(video);
        video.requestVideoFrameCallback(() => resolve(performance.now() - start));
      });
    });
    await room.connect(url, token);
    const connectMs = performance.now() - start;
    const firstFrameMs = await firstFrame;
    await room.disconnect();
    document.getElementById('videos').replaceChildren();
    return { connectMs, firstFrameMs };
  },
  framesFrom(identity) {
    return decodedFrames.get(identity) ?? 0;
  },
};

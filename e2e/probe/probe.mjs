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
  /**
   * The ICE servers LiveKit hands a client as it joins (TURN ones with credentials of that
   * participant's own), read from its answer to a join that publishes and subscribes nothing.
   */
  async iceServers(url, token) {
    const room = new Room();
    await room.connect(url, token, { autoSubscribe: false });
    const servers = room.engine.latestJoinResponse.iceServers.map(({ urls, username, credential }) => ({
      urls,
      username,
      credential,
    }));
    await room.disconnect();
    return servers;
  },
  /**
   * Two peer connections in this page that may use relays only (each gathers nothing but its own
   * TURN allocation) send `text` over a data channel: it can only cross from one relay to the
   * other. Answers what arrived and the candidate types of the pair the sender chose; throws when
   * nothing crossed within 20 s.
   */
  async relayOnlyMessage(iceServers, text) {
    const config = { iceServers, iceTransportPolicy: 'relay' };
    const sender = new RTCPeerConnection(config);
    const receiver = new RTCPeerConnection(config);
    try {
      sender.onicecandidate = ({ candidate }) => candidate && receiver.addIceCandidate(candidate);
      receiver.onicecandidate = ({ candidate }) => candidate && sender.addIceCandidate(candidate);
      const received = new Promise((resolve) => {
        receiver.ondatachannel = ({ channel }) => (channel.onmessage = ({ data }) => resolve(data));
      });
      const channel = sender.createDataChannel('through-turn');
      const open = new Promise((resolve) => (channel.onopen = resolve));
      await sender.setLocalDescription(await sender.createOffer());
      await receiver.setRemoteDescription(sender.localDescription);
      await receiver.setLocalDescription(await receiver.createAnswer());
      await sender.setRemoteDescription(receiver.localDescription);
      const late = new Promise((_, reject) =>
        setTimeout(() => reject(new Error('nothing crossed the TURN relay in 20 s')), 20_000),
      );
      await Promise.race([open, late]);
      channel.send(text);
      const message = await Promise.race([received, late]);
      const stats = [...(await sender.getStats()).values()];
      const pair = stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
      const typeOf = (id) => stats.find((s) => s.id === id)?.candidateType;
      return { message, path: [typeOf(pair?.localCandidateId), typeOf(pair?.remoteCandidateId)] };
    } finally {
      sender.close();
      receiver.close();
    }
  },
};

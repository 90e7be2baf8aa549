import { useRoomContext } from '@livekit/components-react';
import { RoomEvent, Track } from 'livekit-client';
import { useEffect } from 'react';
import { translateNow } from '../i18n/current.ts';

/** How long a newly chosen camera has to deliver frames to the encoder. */
const GRACE_MS = 3_000;

/**
 * Frames the track `trackId` has handed to this sender so far (WebRTC's media-source stats): 0
 * while the sender reports video sources but none of this track yet (it was just swapped in),
 * undefined when it reports no video source at all (unknown).
 */
export async function framesFromCamera(sender: RTCRtpSender, trackId: string): Promise<number | undefined> {
  let known = false;
  let frames = 0;
  (await sender.getStats()).forEach(
    (report: { type?: string; kind?: string; frames?: number; trackIdentifier?: string }) => {
      if (report.type !== 'media-source' || report.kind !== 'video') return;
      known = true;
      if (report.trackIdentifier === trackId && typeof report.frames === 'number') frames += report.frames;
    },
  );
  return known ? frames : undefined;
}

/**
 * A camera is silent when the sender received no frame from it in the whole window. A count not
 * known yet at the start is none (the stats may not list a track swapped in a moment ago); one
 * not known at the end says nothing.
 */
export function isSilent(before: number | undefined, after: number | undefined): boolean {
  return after !== undefined && after <= (before ?? 0);
}

/**
 * After the user switches camera mid-call, checks that the new camera actually feeds the call.
 * Infrared and depth cameras (Windows Hello, RealSense) are listed like any other, play in our
 * own preview, and yet give WebRTC nothing to encode: the others would see a frozen picture.
 */
export function useSilentCameraWarning(onProblem: (message: string) => void): void {
  const room = useRoomContext();
  useEffect(() => {
    let live = true;
    const check = (kind: MediaDeviceKind) => {
      if (kind !== 'videoinput') return;
      const track = room.localParticipant.getTrackPublication(Track.Source.Camera)?.videoTrack;
      const sender = track?.sender;
      // The track the sender sends: the camera's, or what a processor (background blur) makes of it.
      const sent = sender?.track;
      if (track === undefined || sender === undefined || sent === null || sent === undefined) return;
      void (async () => {
        const before = await framesFromCamera(sender, sent.id);
        await new Promise((resolve) => setTimeout(resolve, GRACE_MS));
        const after = await framesFromCamera(sender, sent.id);
        const same = track.sender === sender && sender.track === sent;
        if (live && !track.isMuted && same && isSilent(before, after)) onProblem(translateNow('call.silentCamera'));
      })().catch(() => undefined);
    };
    room.on(RoomEvent.ActiveDeviceChanged, check);
    return () => {
      live = false;
      room.off(RoomEvent.ActiveDeviceChanged, check);
    };
  }, [room, onProblem]);
}

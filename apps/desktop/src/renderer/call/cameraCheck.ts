import { useRoomContext } from '@livekit/components-react';
import { RoomEvent, Track } from 'livekit-client';
import { useEffect } from 'react';
import { translateNow } from '../i18n/current.ts';

/** How long a newly chosen camera has to deliver frames to the encoder. */
const GRACE_MS = 3_000;

/** Frames the camera has handed to this sender so far (WebRTC's media-source stats); undefined when unknown. */
export async function framesFromCamera(sender: RTCRtpSender): Promise<number | undefined> {
  let frames: number | undefined;
  (await sender.getStats()).forEach((report: { type?: string; kind?: string; frames?: number }) => {
    if (report.type === 'media-source' && report.kind === 'video' && typeof report.frames === 'number')
      frames = (frames ?? 0) + report.frames;
  });
  return frames;
}

/** A camera is silent when the sender received no frame from it in the whole window. */
export function isSilent(before: number | undefined, after: number | undefined): boolean {
  return before !== undefined && after !== undefined && after <= before;
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
      if (track === undefined || sender === undefined) return;
      void (async () => {
        const before = await framesFromCamera(sender);
        await new Promise((resolve) => setTimeout(resolve, GRACE_MS));
        const after = await framesFromCamera(sender);
        if (live && !track.isMuted && track.sender === sender && isSilent(before, after))
          onProblem(translateNow('call.silentCamera'));
      })().catch(() => undefined);
    };
    room.on(RoomEvent.ActiveDeviceChanged, check);
    return () => {
      live = false;
      room.off(RoomEvent.ActiveDeviceChanged, check);
    };
  }, [room, onProblem]);
}

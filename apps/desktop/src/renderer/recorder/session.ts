import { RECORDING_MIME_TYPE, type RecorderPageEvent, type RecorderPageOptions } from '@tandem/shared';
import { Room, RoomEvent } from 'livekit-client';
import { readAnnotations } from './annotations.ts';
import { startComposer } from './composer.ts';
import { createMixer } from './mixer.ts';

/** Where chunks and events go: the recorder process, through functions it exposes on the page. */
export type RecordingSink = {
  /** One chunk as base64; resolves once the recorder wrote it. */
  chunk(base64: string): Promise<void>;
  event(event: RecorderPageEvent): void;
};

export type PageRecording = { stop(): Promise<void> };

/** MediaRecorder hands over a chunk this often: at most this much is lost when the recorder dies. */
const TIMESLICE_MS = 1000;
const AUDIO_BITS_PER_SECOND = 96_000;
/** Chromium's MediaRecorder option (not in TypeScript's DOM types yet). */
const KEY_FRAME_INTERVAL_MS = 1000;

function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      // data:video/mp4;codecs=avc1,opus;base64,<data>: the type has a comma of its own.
      const url = String(reader.result);
      const marker = ';base64,';
      resolve(url.slice(url.indexOf(marker) + marker.length));
    };
    reader.onerror = () => reject(reader.error ?? new Error('the chunk could not be read'));
    reader.readAsDataURL(blob);
  });
}

/**
 * Joins the call as the recorder (hidden, subscribing only), composes it onto a canvas, mixes its
 * audio and records both with MediaRecorder, handing every chunk over as it comes, in order.
 * Resolves once MediaRecorder runs. The call ending (the room closes, or the recorder has been
 * alone for `aloneSeconds`) is reported as an `ended` event; the recorder then stops us.
 */
export async function startPageRecording(options: RecorderPageOptions, sink: RecordingSink): Promise<PageRecording> {
  const { width, height, fps, bitsPerSecond } = options.video;
  const room = new Room({ adaptiveStream: false, dynacast: false });
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  document.body.append(canvas);
  const media = document.createElement('div');
  media.hidden = true;
  document.body.append(media);
  const drawings = readAnnotations(room);
  const composer = startComposer(room, canvas, fps, drawings);
  const mixer = createMixer(room, media);
  let stopping = false;
  room.on(RoomEvent.Disconnected, (reason) => {
    if (!stopping) sink.event({ type: 'ended', reason: `the recorder left the call (${String(reason)})` });
  });
  await room.connect(options.livekitUrl, options.token, { autoSubscribe: true });

  const stream = new MediaStream([...canvas.captureStream(fps).getVideoTracks(), ...mixer.stream.getAudioTracks()]);
  const recorderOptions: MediaRecorderOptions & { readonly videoKeyFrameIntervalDuration: number } = {
    mimeType: RECORDING_MIME_TYPE,
    videoBitsPerSecond: bitsPerSecond,
    audioBitsPerSecond: AUDIO_BITS_PER_SECOND,
    // The MP4 is written a fragment per key frame: one a second keeps what a crash loses to about
    // a second (the encoder's default is several) and lets players seek to the second.
    videoKeyFrameIntervalDuration: KEY_FRAME_INTERVAL_MS,
  };
  const recorder = new MediaRecorder(stream, recorderOptions);
  let handing: Promise<void> = Promise.resolve();
  recorder.addEventListener('dataavailable', (e) => {
    if (e.data.size === 0) return;
    const blob = e.data;
    handing = handing
      .then(async () => sink.chunk(await base64Of(blob)))
      .catch((error: unknown) =>
        sink.event({
          type: 'error',
          message: `a chunk was lost: ${error instanceof Error ? error.message : String(error)}`,
        }),
      );
  });
  recorder.addEventListener('error', () => sink.event({ type: 'error', message: 'MediaRecorder failed' }));
  const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));
  recorder.start(TIMESLICE_MS);

  let aloneSince: number | null = null;
  const watch = setInterval(() => {
    if (room.remoteParticipants.size > 0) {
      aloneSince = null;
      return;
    }
    aloneSince ??= Date.now();
    if (Date.now() - aloneSince >= options.aloneSeconds * 1000 && !stopping)
      sink.event({ type: 'ended', reason: 'everyone left the call' });
  }, 1000);

  return {
    async stop() {
      stopping = true;
      clearInterval(watch);
      if (recorder.state !== 'inactive') recorder.stop();
      await stopped;
      await handing;
      composer.stop();
      drawings.detach();
      await mixer.close();
      await room.disconnect();
    },
  };
}

/// <reference types="vite/client" />
/**
 * B9's page: the app's own processors (renderer/media) on Chromium's fake camera and microphone,
 * built by vite with the renderer's asset plugin, so the segmenter and RNNoise load as shipped.
 * `b9Effects.ts` drives it through `window.b9`.
 */
import { Track } from 'livekit-client';
import type { VideoEffects } from '../../../apps/desktop/src/renderer/media/effects.ts';
import { NoiseSuppressionProcessor } from '../../../apps/desktop/src/renderer/media/noiseSuppression.ts';
import { VideoEffectsProcessor, type EffectsCost } from '../../../apps/desktop/src/renderer/media/videoEffects.ts';

export type AudioMode = 'raw' | 'straight' | 'worklet' | 'rnnoise';

export type B9Page = {
  /** Starts the camera at 1280×720 through these effects and waits until the pipeline is warm. */
  startVideo(effects: VideoEffects): Promise<void>;
  /** Frames shown, and each frame's and each segmentation's time, over the next `seconds`. */
  measureVideo(seconds: number): Promise<{ frames: number; width: number; costs: EffectsCost[] }>;
  stopVideo(): Promise<void>;
  /**
   * Starts the microphone and plays it, silently, in a WebAudio context: as it is (`raw`, what
   * LiveKit sends with noise suppression off), or first into the context and out as a new track
   * (what a processor's track is): straight through, through an AudioWorklet that only copies
   * (the worklet's hop alone), or through RNNoise (the app's processor).
   */
  audio(mode: AudioMode): Promise<void>;
  stopAudio(): Promise<void>;
};

const element = document.getElementById('processed') as HTMLVideoElement;
let stopAudio: () => Promise<void> = async () => {};
let stopVideo: () => Promise<void> = async () => {};
const costs: EffectsCost[] = [];
let frames = 0;
const count = () => {
  frames += 1;
  element.requestVideoFrameCallback(count);
};
element.requestVideoFrameCallback(count);

/** An AudioWorklet that copies its input to its output, as RNNoise's worklet does around the model. */
const COPY_WORKLET = `registerProcessor('b9-copy', class extends AudioWorkletProcessor {
  process(inputs, outputs) {
    const input = inputs[0]?.[0];
    if (input !== undefined) outputs[0][0].set(input);
    return true;
  }
});`;

const page: B9Page = {
  async startVideo(effects) {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 } });
    const [track] = stream.getVideoTracks();
    if (track === undefined) throw new Error('no camera');
    const processor = new VideoEffectsProcessor(effects, (cost) => costs.push(cost));
    const source = document.createElement('video');
    source.muted = true;
    source.srcObject = new MediaStream([track]);
    await source.play();
    await processor.init({ kind: Track.Kind.Video, track, element: source });
    const output = processor.processedTrack;
    if (output === undefined) throw new Error('the processor gave no track');
    element.srcObject = new MediaStream([output]);
    await element.play();
    stopVideo = async () => {
      await processor.destroy();
      track.stop();
    };
    // The first frames load the model and warm the GL pipeline: not what a call pays per frame.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  },
  async measureVideo(seconds) {
    costs.length = 0;
    frames = 0;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    return { costs: [...costs], frames, width: element.videoWidth };
  },
  stopVideo: () => stopVideo(),
  async audio(mode) {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { noiseSuppression: false, echoCancellation: false, autoGainControl: false },
    });
    const [track] = stream.getAudioTracks();
    if (track === undefined) throw new Error('no microphone');
    const context = new AudioContext({ sampleRate: 48_000 });
    await context.resume();
    const sink = context.createGain();
    sink.gain.value = 0;
    sink.connect(context.destination);
    // The same player every way, so each difference is what the mode adds.
    let processed: MediaStreamTrack | undefined;
    let stop: () => Promise<void>;
    if (mode === 'raw') {
      processed = track;
      stop = async () => {};
    } else if (mode === 'rnnoise') {
      const processor = new NoiseSuppressionProcessor();
      await processor.init({ kind: Track.Kind.Audio, track, audioContext: context });
      processed = processor.processedTrack;
      stop = () => processor.destroy();
    } else {
      const out = context.createMediaStreamDestination();
      const source = context.createMediaStreamSource(new MediaStream([track]));
      if (mode === 'worklet') {
        const module = URL.createObjectURL(new Blob([COPY_WORKLET], { type: 'text/javascript' }));
        await context.audioWorklet.addModule(module);
        URL.revokeObjectURL(module);
        source.connect(new AudioWorkletNode(context, 'b9-copy')).connect(out);
      } else source.connect(out);
      processed = out.stream.getAudioTracks()[0];
      stop = async () => processed?.stop();
    }
    if (processed === undefined) throw new Error('no processed track');
    context.createMediaStreamSource(new MediaStream([processed])).connect(sink);
    stopAudio = async () => {
      await stop();
      track.stop();
      await context.close();
    };
  },
  stopAudio: () => stopAudio(),
};

(window as unknown as { b9: B9Page }).b9 = page;

import { loadRnnoise } from '@sapphi-red/web-noise-suppressor';
import type { AudioProcessorOptions, LocalAudioTrack, Track, TrackProcessor } from 'livekit-client';
import { RNNOISE } from './assets.ts';
import type { NoiseReply, NoiseRequest } from './noiseWorker.ts';
import NoiseWorker from './noiseWorker.ts?worker';

/** A track made from a stream of audio chunks (Chromium's MediaStreamTrackGenerator). */
export type AudioTrackGenerator = MediaStreamTrack & { readonly writable: WritableStream<AudioData> };

/** Chromium's breakout box for audio, which TypeScript's DOM types do not have yet. */
type BreakoutBox = {
  readonly MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack }) => {
    readonly readable: ReadableStream<AudioData>;
  };
  readonly MediaStreamTrackGenerator: new (init: { kind: 'audio' }) => AudioTrackGenerator;
};

/** A microphone track's audio as a stream of chunks (10 ms each in Chromium). */
export function audioChunks(track: MediaStreamTrack): ReadableStream<AudioData> {
  return new (globalThis as unknown as BreakoutBox).MediaStreamTrackProcessor({ track }).readable;
}

/** A new audio track and the stream its chunks are written to. */
export function audioTrackGenerator(): AudioTrackGenerator {
  return new (globalThis as unknown as BreakoutBox).MediaStreamTrackGenerator({ kind: 'audio' });
}

/** RNNoise's wasm, fetched once (the SIMD build where the browser has SIMD). */
let wasm: Promise<ArrayBuffer> | undefined;

/**
 * RNNoise (its weights compiled into the wasm) on the microphone, in its own thread
 * (noiseWorker.ts): the microphone's audio chunks go there through a MediaStreamTrackProcessor
 * and come back through a MediaStreamTrackGenerator, the track LiveKit sends. A LocalAudioTrack
 * processor; livekit-client restarts it when the track changes.
 */
export class NoiseSuppressionProcessor implements TrackProcessor<Track.Kind.Audio, AudioProcessorOptions> {
  readonly name = 'tandem-noise-suppression';
  processedTrack?: MediaStreamTrack;
  private running?: { readonly worker: Worker; readonly generator: AudioTrackGenerator };

  async init({ track }: AudioProcessorOptions): Promise<void> {
    wasm ??= loadRnnoise({ url: RNNOISE.wasm, simdUrl: RNNOISE.simdWasm }).catch((e: unknown) => {
      wasm = undefined;
      throw e;
    });
    const binary = await wasm;
    const readable = audioChunks(track);
    const generator = audioTrackGenerator();
    const worker = new NoiseWorker();
    try {
      await new Promise<void>((resolve, reject) => {
        worker.onmessage = ({ data }: MessageEvent<NoiseReply>) => {
          if (data.kind === 'running') resolve();
          else reject(new Error(data.message));
        };
        worker.onerror = (event) => reject(new Error(event.message));
        // The wasm is copied, not transferred: every processor starts from the same fetched bytes.
        const request: NoiseRequest = { readable, writable: generator.writable, wasm: binary };
        worker.postMessage(request, [readable, generator.writable]);
      });
    } catch (e) {
      worker.terminate();
      generator.stop();
      throw e;
    }
    worker.onmessage = null;
    worker.onerror = null;
    this.running = { worker, generator };
    this.processedTrack = generator;
  }

  async restart(options: AudioProcessorOptions): Promise<void> {
    await this.destroy();
    await this.init(options);
  }

  async destroy(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (running === undefined) return;
    running.worker.terminate();
    running.generator.stop();
    this.processedTrack = undefined;
  }
}

/** Puts noise suppression on the microphone track, or takes it off. */
export async function applyNoiseSuppression(track: LocalAudioTrack, on: boolean): Promise<void> {
  const current = track.getProcessor();
  if (on && !(current instanceof NoiseSuppressionProcessor)) await track.setProcessor(new NoiseSuppressionProcessor());
  if (!on && current !== undefined) await track.stopProcessor();
}

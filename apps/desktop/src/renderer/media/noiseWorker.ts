/**
 * Noise suppression in its own thread (a dedicated worker, bundled by Vite with the renderer): the
 * microphone's audio as it comes (10 ms AudioData chunks from a MediaStreamTrackProcessor) through
 * RNNoise, out to a MediaStreamTrackGenerator, whose track LiveKit sends. No WebAudio: no audio
 * context, no 128-sample render quanta, no AudioWorklet (B9: those hops cost three times the model).
 */
import { createRnnoise, Reframer } from './rnnoise.ts';

export type NoiseRequest = {
  readonly readable: ReadableStream<AudioData>;
  readonly writable: WritableStream<AudioData>;
  /** RNNoise's wasm (renderer/media/assets.ts), SIMD or not as the browser allows. */
  readonly wasm: ArrayBuffer;
};

export type NoiseReply = { readonly kind: 'running' } | { readonly kind: 'failed'; readonly message: string };

/** What this file sees of its worker scope (the renderer's types are the window's). */
type WorkerScope = {
  onmessage: ((event: MessageEvent<NoiseRequest>) => void) | null;
  postMessage(message: NoiseReply): void;
};
const scope = self as unknown as WorkerScope;

/** The first channel of `audio`, as 32-bit float samples. */
function samplesOf(audio: AudioData): Float32Array<ArrayBuffer> {
  const samples = new Float32Array(audio.numberOfFrames);
  audio.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
  return samples;
}

async function run({ readable, writable, wasm }: NoiseRequest): Promise<void> {
  const rnnoise = await createRnnoise(async (imports) => (await WebAssembly.instantiate(wasm, imports)).instance);
  const reframer = new Reframer((frame) => rnnoise.processFrame(frame));
  scope.postMessage({ kind: 'running' });
  try {
    await readable
      .pipeThrough(
        new TransformStream<AudioData, AudioData>({
          transform(audio, controller) {
            try {
              const samples = reframer.push(samplesOf(audio));
              controller.enqueue(
                new AudioData({
                  format: 'f32-planar',
                  sampleRate: audio.sampleRate,
                  numberOfFrames: samples.length,
                  numberOfChannels: 1,
                  timestamp: audio.timestamp,
                  data: samples,
                }),
              );
            } finally {
              audio.close();
            }
          },
        }),
      )
      .pipeTo(writable);
  } finally {
    rnnoise.destroy();
  }
}

scope.onmessage = ({ data }) => {
  run(data).catch((e: unknown) =>
    scope.postMessage({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
  );
};

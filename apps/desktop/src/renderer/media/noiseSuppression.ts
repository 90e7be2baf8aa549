import { loadRnnoise, RnnoiseWorkletNode } from '@sapphi-red/web-noise-suppressor';
import type { AudioProcessorOptions, LocalAudioTrack, Track, TrackProcessor } from 'livekit-client';
import { RNNOISE } from './assets.ts';

let wasm: Promise<ArrayBuffer> | undefined;
/** The worklet module, added once per audio context. */
const withWorklet = new WeakMap<BaseAudioContext, Promise<void>>();

/** RNNoise's weights, fetched once per page (a failed fetch may be tried again). */
function rnnoiseBinary(): Promise<ArrayBuffer> {
  wasm ??= loadRnnoise({ url: RNNOISE.wasm, simdUrl: RNNOISE.simdWasm }).catch((e: unknown) => {
    wasm = undefined;
    throw e;
  });
  return wasm;
}

/** Fetches RNNoise while someone waits to join, so that the call's microphone does not wait for it. */
export function prepareNoiseSuppression(): void {
  rnnoiseBinary().catch(() => undefined);
}

function workletIn(context: AudioContext): Promise<void> {
  let added = withWorklet.get(context);
  if (added === undefined) {
    added = context.audioWorklet.addModule(RNNOISE.worklet);
    withWorklet.set(context, added);
  }
  return added;
}

/**
 * RNNoise (its weights compiled into the wasm) on the microphone, in an AudioWorklet: the track
 * LiveKit sends is the worklet's output. A LocalAudioTrack processor; livekit-client restarts it
 * when the track or the room's audio context changes.
 */
export class NoiseSuppressionProcessor implements TrackProcessor<Track.Kind.Audio, AudioProcessorOptions> {
  readonly name = 'tandem-noise-suppression';
  processedTrack?: MediaStreamTrack;
  private graph?: {
    source: MediaStreamAudioSourceNode;
    node: RnnoiseWorkletNode;
    out: MediaStreamAudioDestinationNode;
  };

  async init({ track, audioContext }: AudioProcessorOptions): Promise<void> {
    const [wasmBinary] = await Promise.all([rnnoiseBinary(), workletIn(audioContext)]);
    const source = audioContext.createMediaStreamSource(new MediaStream([track]));
    const node = new RnnoiseWorkletNode(audioContext, { maxChannels: 1, wasmBinary });
    const out = audioContext.createMediaStreamDestination();
    source.connect(node).connect(out);
    this.graph = { source, node, out };
    this.processedTrack = out.stream.getAudioTracks()[0];
  }

  async restart(options: AudioProcessorOptions): Promise<void> {
    await this.destroy();
    await this.init(options);
  }

  async destroy(): Promise<void> {
    const graph = this.graph;
    this.graph = undefined;
    if (graph === undefined) return;
    graph.source.disconnect();
    graph.node.disconnect();
    graph.node.destroy();
    this.processedTrack?.stop();
    this.processedTrack = undefined;
  }
}

/** Puts noise suppression on the microphone track, or takes it off. */
export async function applyNoiseSuppression(track: LocalAudioTrack, on: boolean): Promise<void> {
  const current = track.getProcessor();
  if (on && !(current instanceof NoiseSuppressionProcessor)) await track.setProcessor(new NoiseSuppressionProcessor());
  if (!on && current !== undefined) await track.stopProcessor();
}

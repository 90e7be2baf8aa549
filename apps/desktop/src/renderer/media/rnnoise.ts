/**
 * RNNoise (its weights compiled into the wasm of @sapphi-red/web-noise-suppressor, renderer/media
 * assets) called straight from JavaScript: the wasm needs three imports and exports its C API, so
 * this replaces Emscripten's glue. No DOM: it runs in the noise worker and in Node's tests.
 */

/** RNNoise's frame: 10 ms at 48 kHz. */
export const RNNOISE_FRAME = 480;
/** RNNoise works on samples scaled as 16-bit PCM. */
const PCM_SCALE = 0x7fff;

type RnnoiseExports = {
  readonly memory: WebAssembly.Memory;
  readonly __wasm_call_ctors: () => void;
  readonly emscripten_stack_init?: () => void;
  readonly malloc: (bytes: number) => number;
  readonly free: (pointer: number) => void;
  readonly rnnoise_create: (model: number) => number;
  readonly rnnoise_destroy: (state: number) => void;
  readonly rnnoise_process_frame: (state: number, output: number, input: number) => number;
};

/** One RNNoise state: denoises a stream of 480-sample frames in place. */
export type RnnoiseState = {
  /** Denoises one frame of RNNOISE_FRAME samples (-1..1) in place; returns how likely it is speech. */
  processFrame(frame: Float32Array): number;
  destroy(): void;
};

function exportsOf(instance: WebAssembly.Instance): RnnoiseExports {
  const e = instance.exports;
  for (const name of ['memory', 'malloc', 'free', 'rnnoise_create', 'rnnoise_destroy', 'rnnoise_process_frame'])
    if (!(name in e)) throw new Error(`this is not RNNoise's wasm: ${name} is missing`);
  return e as unknown as RnnoiseExports;
}

/**
 * Makes an RNNoise state. `instantiate` instantiates RNNoise's wasm (the SIMD build or the plain
 * one: the same C API) with the imports given.
 */
export async function createRnnoise(
  instantiate: (imports: WebAssembly.Imports) => Promise<WebAssembly.Instance>,
): Promise<RnnoiseState> {
  /** The wasm's memory, once instantiated (the imports are made before it exists). */
  const wasm: { memory?: WebAssembly.Memory } = {};
  const heap = () => {
    if (wasm.memory === undefined) throw new Error('RNNoise is not instantiated yet');
    return new Uint8Array(wasm.memory.buffer);
  };
  const instance = await instantiate({
    env: {
      // Returns nothing: the wasm would convert a returned array to a number (slowly: it joins it).
      emscripten_memcpy_big: (dest: number, src: number, bytes: number) => {
        heap().copyWithin(dest, src, src + bytes);
      },
      emscripten_resize_heap: (requested: number) => {
        if (wasm.memory === undefined) return 0;
        const pages = Math.ceil((requested - wasm.memory.buffer.byteLength) / 65_536);
        try {
          wasm.memory.grow(pages);
          return 1;
        } catch {
          return 0;
        }
      },
      __assert_fail: () => {
        throw new Error('RNNoise failed an assertion');
      },
    },
  });
  const rnnoise = exportsOf(instance);
  wasm.memory = rnnoise.memory;
  rnnoise.emscripten_stack_init?.();
  rnnoise.__wasm_call_ctors();
  const state = rnnoise.rnnoise_create(0);
  // Separate buffers: RNNoise reads its input while it writes its output.
  const input = rnnoise.malloc(RNNOISE_FRAME * Float32Array.BYTES_PER_ELEMENT);
  const output = rnnoise.malloc(RNNOISE_FRAME * Float32Array.BYTES_PER_ELEMENT);
  if (state === 0 || input === 0 || output === 0) throw new Error('RNNoise could not allocate its state');
  let destroyed = false;
  return {
    processFrame(frame) {
      if (destroyed) throw new Error('this RNNoise state is destroyed');
      if (frame.length !== RNNOISE_FRAME)
        throw new Error(`RNNoise takes ${RNNOISE_FRAME} samples, not ${frame.length}`);
      // Views made now: the heap's buffer is replaced when it grows.
      const into = new Float32Array(rnnoise.memory.buffer, input, RNNOISE_FRAME);
      for (let i = 0; i < RNNOISE_FRAME; i++) into[i] = (frame[i] ?? 0) * PCM_SCALE;
      const speech = rnnoise.rnnoise_process_frame(state, output, input);
      const out = new Float32Array(rnnoise.memory.buffer, output, RNNOISE_FRAME);
      for (let i = 0; i < RNNOISE_FRAME; i++) frame[i] = (out[i] ?? 0) / PCM_SCALE;
      return speech;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      rnnoise.rnnoise_destroy(state);
      rnnoise.free(input);
      rnnoise.free(output);
    },
  };
}

/**
 * Feeds chunks of any length through 480-sample frames and gives back as many samples as came in.
 * Chunks of whole frames (what Chromium's audio tracks deliver at 48 kHz: 10 ms) pass with no
 * delay. From the first chunk that is not, the output lags by one frame (10 ms of silence first):
 * enough that a chunk's worth of processed samples is always there.
 */
export class Reframer {
  private readonly frame = new Float32Array(RNNOISE_FRAME);
  private filled = 0;
  /** Processed samples not given out yet, in `pending[0..queued)`. */
  private pending = new Float32Array(RNNOISE_FRAME * 2);
  private queued = 0;
  private delayed = false;

  constructor(private readonly process: (frame: Float32Array) => void) {}

  /** Processes what `chunk` completes and writes `chunk.length` samples of output over it. */
  push(chunk: Float32Array<ArrayBuffer>): Float32Array<ArrayBuffer> {
    if (!this.delayed && chunk.length % RNNOISE_FRAME !== 0) {
      this.delayed = true;
      this.enqueue(new Float32Array(RNNOISE_FRAME));
    }
    for (let read = 0; read < chunk.length;) {
      const taken = Math.min(RNNOISE_FRAME - this.filled, chunk.length - read);
      this.frame.set(chunk.subarray(read, read + taken), this.filled);
      this.filled += taken;
      read += taken;
      if (this.filled === RNNOISE_FRAME) {
        this.process(this.frame);
        this.enqueue(this.frame);
        this.filled = 0;
      }
    }
    // With the delay above there is always enough; were there not, silence rather than old samples.
    const given = Math.min(this.queued, chunk.length);
    chunk.fill(0, 0, chunk.length - given);
    chunk.set(this.pending.subarray(0, given), chunk.length - given);
    this.pending.copyWithin(0, given, this.queued);
    this.queued -= given;
    return chunk;
  }

  private enqueue(samples: Float32Array): void {
    if (this.queued + samples.length > this.pending.length) {
      const grown = new Float32Array((this.queued + samples.length) * 2);
      grown.set(this.pending.subarray(0, this.queued));
      this.pending = grown;
    }
    this.pending.set(samples, this.queued);
    this.queued += samples.length;
  }
}

import {
  ProcessorWrapper,
  type VideoTrackTransformer,
  type VideoTransformerInitOptions,
} from '@livekit/track-processors';
import type { LocalVideoTrack } from 'livekit-client';
import { PICTURES, segmenterAssets } from './assets.ts';
import {
  backgroundStage,
  coverRect,
  meanLuma,
  needsVideoProcessor,
  nextGain,
  type BackgroundStage,
  type VideoEffects,
} from './effects.ts';
import {
  boxRadius,
  BT709,
  i420,
  i420Bytes,
  plane,
  rgbaToI420,
  yuvMatrix,
  type I420,
  type Plane,
  type YuvMatrix,
} from './planes.ts';
import { PlaneKernels, SHRINK } from './planesWasm.ts';
import type { SegmenterReply, SegmenterRequest } from './segmenterWorker.ts';
import SegmenterWorker from './segmenterWorker.ts?worker';

/** Side of the tiny canvas a frame is drawn into to measure its brightness. */
const PROBE = { width: 32, height: 18 } as const;
/** Brightness is measured every this many frames; the gain moves smoothly in between. */
const MEASURE_EVERY = 6;
/**
 * The most often a frame is segmented (µs of frame time apart): 15 masks a second follow a person
 * closely, and a 30 fps camera then pays the model for every second frame only.
 */
const SEGMENT_EVERY_US = 1_000_000 / 15;
/**
 * The frame shrunk to a quarter of its size each way (SHRINK) is the segmenter's picture (the model
 * takes 256 × 144 and resizes it), the mask's size, and the background blurred (far cheaper, and as
 * soft). A picture background is put at half the frame's size (behind the person it stays sharp
 * enough).
 */
const PICTURE_SCALE = 2;
/** Box blurs in a row: three are close to a Gaussian. */
const BLUR_PASSES = 3;
/** What a frame converted from RGB is tagged as (a lifted frame is drawn on a canvas: RGB). */
const FROM_RGB: VideoColorSpaceInit = { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', fullRange: false };

/**
 * What the effects cost, for the benchmark (B9): each frame's time on the call's thread, and each
 * segmentation's in the segmenter's thread (fewer: a frame that comes while the segmenter is busy
 * is not segmented).
 */
export type EffectsCost = { readonly kind: 'frame' | 'segmentation'; readonly ms: number };

const pictureUrl = (id: string): string => PICTURES[id as keyof typeof PICTURES].url;

function context2d(canvas: OffscreenCanvas, willReadFrequently = false): OffscreenCanvasRenderingContext2D {
  const context = canvas.getContext('2d', { willReadFrequently });
  if (context === null) throw new Error('no 2D canvas here');
  return context;
}

async function loadPicture(url: string): Promise<ImageBitmap> {
  const image = new Image();
  image.src = url;
  await image.decode();
  return createImageBitmap(image);
}

/**
 * Lifts dark frames: measures mean luma on a 32 × 18 copy now and then and draws the frame with a
 * brightness gain (1 when the picture is bright enough: the frame then passes untouched).
 */
class LowLight {
  private gain = 1;
  private frames = 0;
  private readonly probe = context2d(new OffscreenCanvas(PROBE.width, PROBE.height), true);
  private readonly canvas = new OffscreenCanvas(1, 1);
  private readonly context = context2d(this.canvas);

  lift(frame: VideoFrame): VideoFrame {
    if (this.frames++ % MEASURE_EVERY === 0) {
      this.probe.drawImage(frame, 0, 0, PROBE.width, PROBE.height);
      this.gain = nextGain(meanLuma(this.probe.getImageData(0, 0, PROBE.width, PROBE.height).data), this.gain);
    }
    if (this.gain === 1) return frame;
    const { displayWidth: width, displayHeight: height } = frame;
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.context.filter = `brightness(${this.gain.toFixed(3)})`;
    this.context.drawImage(frame, 0, 0, width, height);
    const lifted = new VideoFrame(this.canvas, { timestamp: frame.timestamp });
    frame.close();
    return lifted;
  }
}

/** The planes of one frame size, in the kernels' memory. */
type Layout = {
  /** The frame, composited in place and sent on. */
  readonly frame: I420;
  /** The frame at a quarter size: the segmenter's picture, and the background blurred. */
  readonly small: I420;
  /** The picture background at half the frame's size. */
  readonly picture: I420;
  /** The newest mask, at the small picture's size (0: background … 255: the person). */
  readonly mask: Plane;
  /** An NV12 frame's interleaved chroma, before it is split into the frame's U and V planes. */
  readonly chroma: Uint8Array;
};

/**
 * Replaces or blurs what is not the person, in YUV: the frame is read into I420 planes, the
 * background (the planes shrunk to a quarter and blurred, or the picture converted once) goes over
 * them where the newest mask says it is not the person, scaled up bilinearly with soft edges, and
 * the planes become the new frame. No RGB conversion, no canvas, and the encoder gets I420 as from
 * the camera. The loops are WebAssembly SIMD (planesWasm.ts; B9: Canvas 2D costs more without a
 * GPU, and so do the same loops in JavaScript). The segmenter (segmenterWorker.ts, in its own
 * thread) gets the quarter-size planes whenever it is free and answers with how likely each point
 * is the person, so the call's thread never waits for the model. Until the first mask arrives the
 * whole picture is background: the real one never shows.
 */
class Background {
  /** An RGB frame (the low-light lift's) read as RGBA, to be converted. */
  private rgba = new Uint8Array(0);
  private layout: Layout | undefined;
  private picture: { readonly url: string; readonly bitmap: ImageBitmap } | undefined;
  /** What is in the layout's picture planes: this bitmap in this colour matrix. */
  private pictureMade: { readonly bitmap: ImageBitmap; readonly matrix: YuvMatrix; readonly into: I420 } | undefined;
  /** A picture is with the segmenter: the next is sent only once it answers. */
  private segmenting = false;
  /** The timestamp (µs) of the frame last sent to the segmenter. */
  private segmentedAt = Number.NEGATIVE_INFINITY;
  private failure: Error | undefined;

  private constructor(
    private readonly segmenter: Worker,
    private readonly kernels: PlaneKernels,
    private readonly onCost?: (cost: EffectsCost) => void,
  ) {
    segmenter.onmessage = ({ data }: MessageEvent<SegmenterReply>) => this.received(data);
  }

  static async create(onCost?: (cost: EffectsCost) => void): Promise<Background> {
    const kernels = await PlaneKernels.load();
    const segmenter = new SegmenterWorker();
    const assets = segmenterAssets();
    try {
      await new Promise<void>((resolve, reject) => {
        segmenter.onmessage = ({ data }: MessageEvent<SegmenterReply>) => {
          if (data.kind === 'loaded') resolve();
          else reject(new Error(data.kind === 'failed' ? data.message : `unexpected ${data.kind} while loading`));
        };
        segmenter.onerror = (event) => reject(new Error(event.message));
        send(segmenter, { kind: 'load', fileSet: assets.tasksVisionFileSet, modelAssetPath: assets.modelAssetPath });
      });
    } catch (e) {
      segmenter.terminate();
      throw e;
    }
    segmenter.onerror = null;
    return new Background(segmenter, kernels, onCost);
  }

  private received(reply: SegmenterReply): void {
    switch (reply.kind) {
      case 'mask':
        this.segmenting = false;
        // A mask of another size answers a frame from before the camera's size changed: dropped.
        if (reply.mask !== null && this.layout?.mask.data.length === reply.mask.data.length)
          this.layout.mask.data.set(reply.mask.data);
        this.onCost?.({ kind: 'segmentation', ms: reply.ms });
        return;
      case 'failed':
        this.segmenting = false;
        this.failure = new Error(reply.message);
        return;
      case 'loaded':
        return;
      default: {
        const unreachable: never = reply;
        throw new Error(`unknown segmenter reply ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Loads the picture a stage names, once; blur and none need nothing. */
  async prepare(stage: BackgroundStage): Promise<void> {
    if (stage.imagePath === undefined || this.picture?.url === stage.imagePath) return;
    const bitmap = await loadPicture(stage.imagePath);
    this.picture?.bitmap.close();
    this.picture = { url: stage.imagePath, bitmap };
  }

  /**
   * The segmenter is free and had its last picture at least SEGMENT_EVERY_US ago (frame time: a
   * restarted camera's clock starts again).
   */
  private segmentDue(timestamp: number): boolean {
    const since = timestamp - this.segmentedAt;
    return !this.segmenting && !(since >= 0 && since < SEGMENT_EVERY_US);
  }

  /** Gives the segmenter a copy of these (small) planes. */
  private segment(small: I420, matrix: YuvMatrix, timestamp: number): void {
    const bytes = small.buffer.slice();
    this.segmenting = true;
    this.segmentedAt = timestamp;
    const [{ width, height }] = small.planes;
    send(this.segmenter, { kind: 'segment', i420: bytes, width, height, matrix }, [bytes.buffer]);
  }

  /** The planes for frames of this size, made anew (and all background again) when it changes. */
  private layoutFor(width: number, height: number): Layout {
    const made = this.layout;
    if (made?.frame.planes[0].width === width && made.frame.planes[0].height === height) return made;
    const small = { width: Math.ceil(width / SHRINK), height: Math.ceil(height / SHRINK) };
    const half = { width: Math.ceil(width / PICTURE_SCALE), height: Math.ceil(height / PICTURE_SCALE) };
    const [frame, smaller, picture, mask, chroma] = this.kernels.allocate(
      [
        i420Bytes(width, height),
        i420Bytes(small.width, small.height),
        i420Bytes(half.width, half.height),
        small.width * small.height,
        2 * Math.ceil(width / 2) * Math.ceil(height / 2),
      ],
      { width, height },
    );
    if (
      frame === undefined ||
      smaller === undefined ||
      picture === undefined ||
      mask === undefined ||
      chroma === undefined
    )
      throw new Error('the kernels allocated too few buffers');
    mask.fill(0);
    this.pictureMade = undefined;
    this.layout = {
      frame: i420(width, height, frame),
      small: i420(small.width, small.height, smaller),
      picture: i420(half.width, half.height, picture),
      mask: plane(small.width, small.height, mask),
      chroma,
    };
    return this.layout;
  }

  /**
   * Reads a frame into the layout's I420 planes: I420 as it is and NV12 straight into the kernels'
   * memory (NV12's chroma then split there), anything else (an RGB frame: the low-light lift's) as
   * RGBA converted here. Gives the colour space the planes are in.
   */
  private async read(frame: VideoFrame, { frame: into, chroma }: Layout): Promise<VideoColorSpaceInit> {
    const [y, u, v] = into.planes;
    const colorSpace = frame.colorSpace.toJSON();
    // The whole memory: each plane is placed where it is in it.
    const memory = new Uint8Array(into.buffer.buffer);
    switch (frame.format) {
      case 'I420':
        await frame.copyTo(memory, {
          layout: [
            { offset: y.data.byteOffset, stride: y.width },
            { offset: u.data.byteOffset, stride: u.width },
            { offset: v.data.byteOffset, stride: v.width },
          ],
        });
        return colorSpace;
      case 'NV12':
        await frame.copyTo(memory, {
          layout: [
            { offset: y.data.byteOffset, stride: y.width },
            { offset: chroma.byteOffset, stride: 2 * u.width },
          ],
        });
        this.kernels.deinterleave(chroma, u, v);
        return colorSpace;
      default: {
        if (this.rgba.length !== 4 * y.width * y.height) this.rgba = new Uint8Array(4 * y.width * y.height);
        await frame.copyTo(this.rgba, { format: 'RGBA', layout: [{ offset: 0, stride: 4 * y.width }] });
        rgbaToI420(this.rgba, into, BT709);
        return FROM_RGB;
      }
    }
  }

  /** The picture in the layout's picture planes in this matrix, converted once (through a canvas: it is RGB). */
  private pictureOf(bitmap: ImageBitmap, into: I420, matrix: YuvMatrix): I420 {
    const made = this.pictureMade;
    if (
      made?.bitmap === bitmap &&
      made.into === into &&
      made.matrix.kr === matrix.kr &&
      made.matrix.fullRange === matrix.fullRange
    )
      return into;
    const [{ width, height }] = into.planes;
    const canvas = context2d(new OffscreenCanvas(width, height), true);
    const source = coverRect(bitmap.width, bitmap.height, width, height);
    canvas.drawImage(bitmap, source.x, source.y, source.width, source.height, 0, 0, width, height);
    rgbaToI420(canvas.getImageData(0, 0, width, height).data, into, matrix);
    this.pictureMade = { bitmap, matrix, into };
    return into;
  }

  /** The frame with its background blurred or replaced, as a new I420 frame. */
  async draw(frame: VideoFrame, stage: BackgroundStage): Promise<VideoFrame> {
    if (this.failure !== undefined) throw this.failure;
    const { width, height } = frame.visibleRect ?? { width: frame.codedWidth, height: frame.codedHeight };
    const layout = this.layoutFor(width, height);
    const colorSpace = await this.read(frame, layout);
    const matrix = yuvMatrix(colorSpace);
    const kernels = this.kernels;
    let layer: I420 | undefined;
    const segment = this.segmentDue(frame.timestamp);
    if (stage.blurRadius !== undefined || segment) {
      const { small } = layout;
      layout.frame.planes.forEach((p, i) => kernels.shrink(p, small.planes[i] ?? p));
      if (segment) this.segment(small, matrix, frame.timestamp);
      if (stage.blurRadius !== undefined) {
        // The radius is the frame's: a quarter of it here, and half that again on the chroma planes.
        const radius = stage.blurRadius / SHRINK;
        small.planes.forEach((p, i) =>
          kernels.blur(p, boxRadius(i === 0 ? radius : radius / 2, BLUR_PASSES), BLUR_PASSES),
        );
        layer = small;
      }
    }
    if (layer === undefined && this.picture !== undefined)
      layer = this.pictureOf(this.picture.bitmap, layout.picture, matrix);
    if (layer !== undefined) {
      const background = layer;
      layout.frame.planes.forEach((p, i) => kernels.composite(p, background.planes[i] ?? p, layout.mask));
    }
    return new VideoFrame(layout.frame.buffer, {
      format: 'I420',
      codedWidth: width,
      codedHeight: height,
      displayWidth: frame.displayWidth,
      displayHeight: frame.displayHeight,
      timestamp: frame.timestamp,
      ...(frame.duration === null ? {} : { duration: frame.duration }),
      colorSpace,
    });
  }

  close(): void {
    this.segmenter.terminate();
    this.picture?.bitmap.close();
  }
}

/** Sends the segmenter a request, its pictures transferred. */
function send(segmenter: Worker, request: SegmenterRequest, transfer: Transferable[] = []): void {
  segmenter.postMessage(request, transfer);
}

/**
 * The camera's effects as a frame transformer: low light first, then the background. With no
 * background the segmenter is not even loaded and frames pass through.
 */
class EffectsTransformer implements VideoTrackTransformer<VideoEffects> {
  transformer?: TransformStream<VideoFrame, VideoFrame>;
  private effects: VideoEffects;
  private stage: BackgroundStage;
  private lowLight: LowLight | undefined;
  private background: Promise<Background> | undefined;

  constructor(
    effects: VideoEffects,
    private readonly onCost?: (cost: EffectsCost) => void,
  ) {
    this.effects = effects;
    this.stage = backgroundStage(effects, pictureUrl);
  }

  async init(_options: VideoTransformerInitOptions): Promise<void> {
    this.transformer = new TransformStream({ transform: (frame, controller) => this.transform(frame, controller) });
    await this.update(this.effects);
  }

  async restart(options: VideoTransformerInitOptions): Promise<void> {
    await this.init(options);
  }

  async update(effects: VideoEffects): Promise<void> {
    this.effects = effects;
    this.lowLight = effects.lowLight ? (this.lowLight ?? new LowLight()) : undefined;
    const stage = backgroundStage(effects, pictureUrl);
    if (!stage.backgroundDisabled) {
      this.background ??= Background.create(this.onCost);
      await (await this.background).prepare(stage);
    }
    // Only now: a picture shows once it has loaded, the old background until then.
    this.stage = stage;
  }

  async transform(frame: VideoFrame, controller: TransformStreamDefaultController<VideoFrame>): Promise<void> {
    const lifted = this.lowLight?.lift(frame) ?? frame;
    const background = this.stage.backgroundDisabled ? undefined : await this.background;
    if (background === undefined) {
      controller.enqueue(lifted);
      return;
    }
    try {
      const started = performance.now();
      const drawn = await background.draw(lifted, this.stage);
      this.onCost?.({ kind: 'frame', ms: performance.now() - started });
      controller.enqueue(drawn);
    } finally {
      lifted.close();
    }
  }

  async destroy(): Promise<void> {
    const background = this.background;
    this.background = undefined;
    (await background)?.close();
  }
}

/** The camera's processor: one per track, changed in place when the effects change. */
export class VideoEffectsProcessor extends ProcessorWrapper<VideoEffects, EffectsTransformer> {
  constructor(effects: VideoEffects, onCost?: (cost: EffectsCost) => void) {
    super(new EffectsTransformer(effects, onCost), 'tandem-video-effects');
  }

  apply(effects: VideoEffects): Promise<void> {
    return this.updateTransformerOptions(effects);
  }
}

/** Puts these effects on the camera track: a processor when any is on, none otherwise. */
export async function applyVideoEffects(track: LocalVideoTrack, effects: VideoEffects): Promise<void> {
  const current = track.getProcessor();
  if (!needsVideoProcessor(effects)) {
    if (current !== undefined) await track.stopProcessor();
    return;
  }
  if (current instanceof VideoEffectsProcessor) await current.apply(effects);
  else await track.setProcessor(new VideoEffectsProcessor(effects));
}

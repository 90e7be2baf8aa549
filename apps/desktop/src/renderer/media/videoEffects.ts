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
  blur,
  boxRadius,
  BT709,
  composite,
  deinterleave,
  downscale,
  i420,
  plane,
  rgbaToI420,
  yuvMatrix,
  type I420,
  type Plane,
  type YuvMatrix,
} from './planes.ts';
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
 * The frame is shrunk to a quarter of its size each way: the segmenter's picture (the model takes
 * 256 × 144 and resizes it), the mask it answers with, and the background blurred (far cheaper, and
 * as soft).
 */
const SMALL = 4;
/** Box blurs in a row: three are close to a Gaussian. */
const BLUR_PASSES = 3;
/** What a frame converted from RGB is tagged as (a lifted frame is drawn on a canvas: RGB). */
const FROM_RGB: VideoColorSpaceInit = { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', fullRange: false };
/** The mask until the segmenter's first: all background, so the real one never shows. */
const NO_PERSON = plane(1, 1);

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

/** A frame's picture (its visible part) as I420 planes, and the colour space they are in. */
type Picture = { readonly planes: I420; readonly colorSpace: VideoColorSpaceInit };

/**
 * Reads frames into I420 planes, one buffer reused: I420 as it is, NV12 with its chroma split,
 * anything else (an RGB frame: the low-light lift's) as RGBA converted here.
 */
class FrameReader {
  private picture: I420 | undefined;
  private scratch = new Uint8Array(0);

  async read(frame: VideoFrame): Promise<Picture> {
    const { width, height } = frame.visibleRect ?? { width: frame.codedWidth, height: frame.codedHeight };
    if (this.picture?.planes[0].width !== width || this.picture.planes[0].height !== height)
      this.picture = i420(width, height);
    const picture = this.picture;
    const [y, u, v] = picture.planes;
    const colorSpace = frame.colorSpace.toJSON();
    switch (frame.format) {
      case 'I420':
        await frame.copyTo(picture.buffer, {
          layout: [
            { offset: y.data.byteOffset, stride: y.width },
            { offset: u.data.byteOffset, stride: u.width },
            { offset: v.data.byteOffset, stride: v.width },
          ],
        });
        return { planes: picture, colorSpace };
      case 'NV12': {
        const uv = this.bytes(2 * u.data.length);
        await frame.copyTo(this.bytes(y.data.length + uv.length), {
          layout: [
            { offset: 0, stride: y.width },
            { offset: y.data.length, stride: 2 * u.width },
          ],
        });
        y.data.set(this.scratch.subarray(0, y.data.length));
        deinterleave(this.scratch.subarray(y.data.length, y.data.length + uv.length), u, v);
        return { planes: picture, colorSpace };
      }
      default: {
        const rgba = this.bytes(4 * width * height);
        await frame.copyTo(rgba, { format: 'RGBA', layout: [{ offset: 0, stride: 4 * width }] });
        rgbaToI420(rgba, picture, BT709);
        return { planes: picture, colorSpace: FROM_RGB };
      }
    }
  }

  /** The scratch buffer, at least this long (its start). */
  private bytes(length: number): Uint8Array {
    if (this.scratch.length < length) this.scratch = new Uint8Array(length);
    return this.scratch.subarray(0, length);
  }
}

/**
 * Replaces or blurs what is not the person, in YUV: the frame is read into I420 planes, the
 * background (the planes shrunk to a quarter and blurred, or the picture converted once) goes over
 * them where the newest mask says it is not the person, scaled up bilinearly with soft edges, and
 * the planes become the new frame. No RGB conversion, no canvas, and the encoder gets I420 as from
 * the camera (planes.ts; B9: Canvas 2D cost twice as much without a GPU). The segmenter
 * (segmenterWorker.ts, in its own thread) gets the quarter-size planes whenever it is free and
 * answers with how likely each point is the person, so the call's thread never waits for the
 * model. Until the first mask arrives the whole picture is background: the real one never shows.
 */
class Background {
  private readonly reader = new FrameReader();
  private small: I420 | undefined;
  private picture: { readonly url: string; readonly bitmap: ImageBitmap } | undefined;
  /** The picture as I420 planes at the frame's size and colour matrix, made when either changes. */
  private pictureLayer: { readonly bitmap: ImageBitmap; readonly matrix: YuvMatrix; readonly planes: I420 } | undefined;
  /** The newest mask, drawn with until the next one comes. */
  private mask: Plane = NO_PERSON;
  /** A picture is with the segmenter: the next is sent only once it answers. */
  private segmenting = false;
  /** The timestamp (µs) of the frame last sent to the segmenter. */
  private segmentedAt = Number.NEGATIVE_INFINITY;
  private failure: Error | undefined;

  private constructor(
    private readonly segmenter: Worker,
    private readonly onCost?: (cost: EffectsCost) => void,
  ) {
    segmenter.onmessage = ({ data }: MessageEvent<SegmenterReply>) => this.received(data);
  }

  static async create(onCost?: (cost: EffectsCost) => void): Promise<Background> {
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
    return new Background(segmenter, onCost);
  }

  private received(reply: SegmenterReply): void {
    switch (reply.kind) {
      case 'mask':
        this.segmenting = false;
        if (reply.mask !== null) this.mask = reply.mask;
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

  /** The frame's planes at a quarter of their size. */
  private shrink(frame: I420): I420 {
    const [{ width, height }] = frame.planes;
    const w = Math.ceil(width / SMALL);
    const h = Math.ceil(height / SMALL);
    if (this.small?.planes[0].width !== w || this.small.planes[0].height !== h) this.small = i420(w, h);
    const small = this.small;
    frame.planes.forEach((p, i) => downscale(p, small.planes[i] ?? p));
    return small;
  }

  /** The picture as planes of this size and matrix, converted once (through a canvas: it is RGB). */
  private pictureOf(bitmap: ImageBitmap, width: number, height: number, matrix: YuvMatrix): I420 {
    const made = this.pictureLayer;
    if (
      made?.bitmap === bitmap &&
      made.planes.planes[0].width === width &&
      made.planes.planes[0].height === height &&
      made.matrix.kr === matrix.kr &&
      made.matrix.fullRange === matrix.fullRange
    )
      return made.planes;
    const canvas = context2d(new OffscreenCanvas(width, height), true);
    const source = coverRect(bitmap.width, bitmap.height, width, height);
    canvas.drawImage(bitmap, source.x, source.y, source.width, source.height, 0, 0, width, height);
    const planes = i420(width, height);
    rgbaToI420(canvas.getImageData(0, 0, width, height).data, planes, matrix);
    this.pictureLayer = { bitmap, matrix, planes };
    return planes;
  }

  /** The frame with its background blurred or replaced, as a new I420 frame. */
  async draw(frame: VideoFrame, stage: BackgroundStage): Promise<VideoFrame> {
    if (this.failure !== undefined) throw this.failure;
    const { planes, colorSpace } = await this.reader.read(frame);
    const matrix = yuvMatrix(colorSpace);
    const [{ width, height }] = planes.planes;
    let layer: I420 | undefined;
    if (stage.blurRadius !== undefined || this.segmentDue(frame.timestamp)) {
      const small = this.shrink(planes);
      if (this.segmentDue(frame.timestamp)) this.segment(small, matrix, frame.timestamp);
      if (stage.blurRadius !== undefined) {
        // The radius is the frame's: a quarter of it here, and half that again on the chroma planes.
        const radius = stage.blurRadius / SMALL;
        small.planes.forEach((p, i) => blur(p, boxRadius(i === 0 ? radius : radius / 2, BLUR_PASSES), BLUR_PASSES));
        layer = small;
      }
    }
    if (layer === undefined && this.picture !== undefined)
      layer = this.pictureOf(this.picture.bitmap, width, height, matrix);
    if (layer !== undefined) {
      const background = layer;
      planes.planes.forEach((p, i) => composite(p, background.planes[i] ?? p, this.mask));
    }
    return new VideoFrame(planes.buffer, {
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

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
import type { SegmenterReply, SegmenterRequest } from './segmenterWorker.ts';
import SegmenterWorker from './segmenterWorker.ts?worker';

/** Side of the tiny canvas a frame is drawn into to measure its brightness. */
const PROBE = { width: 32, height: 18 } as const;
/** Brightness is measured every this many frames; the gain moves smoothly in between. */
const MEASURE_EVERY = 6;
/** The segmentation model's input (selfie_segmentation_landscape: 256 × 144). */
const MASK = { width: 256, height: 144 } as const;
/**
 * The most often a frame is segmented (µs of frame time apart): 15 masks a second follow a person
 * closely, and a 30 fps camera then pays the model for every second frame only.
 */
const SEGMENT_EVERY_US = 1_000_000 / 15;
/** The background is blurred at a quarter of the frame's size: far cheaper, and as soft. */
const BLUR_SCALE = 4;
/** A picture is drawn at half the frame's size (it is behind the person, and stays sharp enough). */
const PICTURE_SCALE = 2;

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

/**
 * Replaces or blurs what is not the person. The segmenter (segmenterWorker.ts, in its own thread)
 * gets a 256 × 144 copy of a frame whenever it is free and answers with how likely each point is
 * the person; each frame is drawn with the newest mask, so the call's thread never waits for the
 * model. The background layer (the frame blurred at a quarter size, or the picture at half size)
 * has the person cut out of it with that mask and goes, scaled up with soft edges, over the frame.
 * Until the first mask arrives the whole picture is background: the real one never shows.
 * Canvas 2D throughout, and only two draws at full size, so it costs little without a GPU too.
 */
class Background {
  private readonly input = context2d(new OffscreenCanvas(MASK.width, MASK.height));
  private readonly layer = context2d(new OffscreenCanvas(1, 1));
  private readonly padded = context2d(new OffscreenCanvas(1, 1));
  private readonly blurred = context2d(new OffscreenCanvas(1, 1));
  private readonly output = context2d(new OffscreenCanvas(1, 1));
  private picture: { readonly url: string; readonly bitmap: ImageBitmap } | undefined;
  /** The newest mask, drawn with until the next one comes. */
  private mask: ImageBitmap | undefined;
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
        if (reply.mask !== null) {
          this.mask?.close();
          this.mask = reply.mask;
        }
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
   * Gives the segmenter this picture, at its size, unless it is still busy with an earlier one or
   * had one less than SEGMENT_EVERY_US ago (frame time: a restarted camera's clock starts again).
   */
  private segment(picture: OffscreenCanvas, timestamp: number): void {
    const since = timestamp - this.segmentedAt;
    if (this.segmenting || (since >= 0 && since < SEGMENT_EVERY_US)) return;
    this.input.drawImage(picture, 0, 0, MASK.width, MASK.height);
    const image = this.input.canvas.transferToImageBitmap();
    this.segmenting = true;
    this.segmentedAt = timestamp;
    send(this.segmenter, { kind: 'segment', image }, [image]);
  }

  /** The background without the person, on `this.layer` at `1 / scale` of the frame's size. */
  private backgroundLayer(frame: OffscreenCanvas, stage: BackgroundStage, scale: number): void {
    const width = Math.ceil(frame.width / scale);
    const height = Math.ceil(frame.height / scale);
    const layer = this.layer;
    if (layer.canvas.width !== width || layer.canvas.height !== height) {
      layer.canvas.width = width;
      layer.canvas.height = height;
    }
    layer.globalCompositeOperation = 'copy';
    if (stage.blurRadius !== undefined) {
      // Blurred with a margin around it that is cut off after: a blur fades to nothing at the
      // edges of what it draws, and those edges must not be the picture's.
      const radius = stage.blurRadius / scale;
      const margin = Math.ceil(3 * radius);
      const padded = this.padded;
      const size = { width: width + 2 * margin, height: height + 2 * margin };
      for (const canvas of [padded.canvas, this.blurred.canvas])
        if (canvas.width !== size.width || canvas.height !== size.height) Object.assign(canvas, size);
      padded.drawImage(frame, 0, 0, size.width, size.height);
      padded.drawImage(frame, margin, margin, width, height);
      this.blurred.globalCompositeOperation = 'copy';
      this.blurred.filter = `blur(${radius}px)`;
      this.blurred.drawImage(padded.canvas, 0, 0);
      layer.drawImage(this.blurred.canvas, margin, margin, width, height, 0, 0, width, height);
    } else if (this.picture !== undefined) {
      const { bitmap } = this.picture;
      const source = coverRect(bitmap.width, bitmap.height, width, height);
      layer.drawImage(bitmap, source.x, source.y, source.width, source.height, 0, 0, width, height);
    }
    if (this.mask === undefined) return;
    layer.globalCompositeOperation = 'destination-out';
    layer.drawImage(this.mask, 0, 0, width, height);
  }

  /**
   * The frame with its background blurred or replaced. The frame is drawn once, at full size, and
   * every smaller copy is taken from that drawing: each draw of a VideoFrame converts the whole
   * frame from YUV to RGB again (B9's profile: four of them were half of the compositing time).
   */
  draw(frame: VideoFrame, stage: BackgroundStage): VideoFrame {
    if (this.failure !== undefined) throw this.failure;
    const { displayWidth: width, displayHeight: height } = frame;
    const out = this.output;
    if (out.canvas.width !== width || out.canvas.height !== height) {
      out.canvas.width = width;
      out.canvas.height = height;
    }
    out.globalCompositeOperation = 'copy';
    out.drawImage(frame, 0, 0, width, height);
    this.segment(out.canvas, frame.timestamp);
    this.backgroundLayer(out.canvas, stage, stage.blurRadius === undefined ? PICTURE_SCALE : BLUR_SCALE);
    out.globalCompositeOperation = 'source-over';
    out.drawImage(this.layer.canvas, 0, 0, width, height);
    const drawn = out.canvas.transferToImageBitmap();
    try {
      return new VideoFrame(drawn, { timestamp: frame.timestamp });
    } finally {
      drawn.close();
    }
  }

  close(): void {
    this.segmenter.terminate();
    this.mask?.close();
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
      const drawn = background.draw(lifted, this.stage);
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

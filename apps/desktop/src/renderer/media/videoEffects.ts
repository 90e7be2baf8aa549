import {
  ProcessorWrapper,
  type VideoTrackTransformer,
  type VideoTransformerInitOptions,
} from '@livekit/track-processors';
import { FilesetResolver, ImageSegmenter } from '@mediapipe/tasks-vision';
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

/** Side of the tiny canvas a frame is drawn into to measure its brightness. */
const PROBE = { width: 32, height: 18 } as const;
/** Brightness is measured every this many frames; the gain moves smoothly in between. */
const MEASURE_EVERY = 6;
/** The segmentation model's input (selfie_segmentation_landscape: 256 × 144). */
const MASK = { width: 256, height: 144 } as const;
/** Confidences from `from` (background) to `to` (person) fade between the two. */
const MASK_RAMP = { from: 0.5, to: 0.9 } as const;
/** The background is blurred at a quarter of the frame's size: far cheaper, and as soft. */
const BLUR_SCALE = 4;
/** A picture is drawn at half the frame's size (it is behind the person, and stays sharp enough). */
const PICTURE_SCALE = 2;

/** What one frame cost, for the benchmark (B9). */
export type FrameCost = { readonly segmentationMs: number; readonly compositingMs: number; readonly totalMs: number };

const pictureUrl = (id: string): string => PICTURES[id as keyof typeof PICTURES].url;

function context2d(canvas: OffscreenCanvas, willReadFrequently = false): OffscreenCanvasRenderingContext2D {
  const context = canvas.getContext('2d', { willReadFrequently });
  if (context === null) throw new Error('no 2D canvas here');
  return context;
}

/**
 * The mask's opacity for a confidence: a steep ramp, so the soft edge of the small mask, scaled
 * up, does not leave a rim of the real background around the person.
 */
function personAlpha(confidence: number): number {
  return Math.min(255, Math.max(0, ((confidence - MASK_RAMP.from) / (MASK_RAMP.to - MASK_RAMP.from)) * 255));
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
 * Replaces or blurs what is not the person: MediaPipe's selfie segmentation (tasks-vision, our
 * bundled model, on the CPU through XNNPACK) on a 256 × 144 copy of the frame gives how likely
 * each point is the person. The background layer (the frame blurred at a quarter size, or the
 * picture at half size) has the person cut out of it with that mask and goes, scaled up with
 * soft edges, over the frame. Canvas 2D throughout, and only two draws at full size, so it costs
 * little without a GPU too.
 */
class Background {
  private readonly input = context2d(new OffscreenCanvas(MASK.width, MASK.height), true);
  private readonly mask = context2d(new OffscreenCanvas(MASK.width, MASK.height));
  private readonly alpha = new ImageData(MASK.width, MASK.height);
  private readonly layer = context2d(new OffscreenCanvas(1, 1));
  private readonly padded = context2d(new OffscreenCanvas(1, 1));
  private readonly blurred = context2d(new OffscreenCanvas(1, 1));
  readonly output = context2d(new OffscreenCanvas(1, 1));
  private picture: { readonly url: string; readonly bitmap: ImageBitmap } | undefined;

  private constructor(private readonly segmenter: ImageSegmenter) {}

  static async create(): Promise<Background> {
    const assets = segmenterAssets();
    const files = await FilesetResolver.forVisionTasks(assets.tasksVisionFileSet);
    const segmenter = await ImageSegmenter.createFromOptions(files, {
      baseOptions: { modelAssetPath: assets.modelAssetPath, delegate: 'CPU' },
      runningMode: 'VIDEO',
      outputConfidenceMasks: true,
      outputCategoryMask: false,
    });
    return new Background(segmenter);
  }

  /** Loads the picture a stage names, once; blur and none need nothing. */
  async prepare(stage: BackgroundStage): Promise<void> {
    if (stage.imagePath === undefined || this.picture?.url === stage.imagePath) return;
    const bitmap = await loadPicture(stage.imagePath);
    this.picture?.bitmap.close();
    this.picture = { url: stage.imagePath, bitmap };
  }

  /** The person's mask for this frame, on `this.mask` (alpha: how likely it is the person). */
  private segment(frame: VideoFrame): void {
    this.input.drawImage(frame, 0, 0, MASK.width, MASK.height);
    // MediaPipe wants rising timestamps; a restarted camera starts its own again from zero.
    const result = this.segmenter.segmentForVideo(this.input.canvas, performance.now());
    try {
      const confidence = result.confidenceMasks?.[0]?.getAsFloat32Array();
      if (confidence === undefined) return;
      const data = this.alpha.data;
      for (let i = 0; i < confidence.length; i++) data[i * 4 + 3] = personAlpha(confidence[i] ?? 0);
      this.mask.putImageData(this.alpha, 0, 0);
    } finally {
      result.close();
    }
  }

  /** The background without the person, on `this.layer` at `1 / scale` of the frame's size. */
  private backgroundLayer(frame: VideoFrame, stage: BackgroundStage, scale: number): void {
    const width = Math.ceil(frame.displayWidth / scale);
    const height = Math.ceil(frame.displayHeight / scale);
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
    layer.globalCompositeOperation = 'destination-out';
    layer.drawImage(this.mask.canvas, 0, 0, width, height);
  }

  /** Draws the frame with its background blurred or replaced on `this.output`. */
  draw(frame: VideoFrame, stage: BackgroundStage): FrameCost {
    const started = performance.now();
    this.segment(frame);
    const segmented = performance.now();
    this.backgroundLayer(frame, stage, stage.blurRadius === undefined ? PICTURE_SCALE : BLUR_SCALE);
    const { displayWidth: width, displayHeight: height } = frame;
    const out = this.output;
    if (out.canvas.width !== width || out.canvas.height !== height) {
      out.canvas.width = width;
      out.canvas.height = height;
    }
    out.globalCompositeOperation = 'copy';
    out.drawImage(frame, 0, 0, width, height);
    out.globalCompositeOperation = 'source-over';
    out.drawImage(this.layer.canvas, 0, 0, width, height);
    const done = performance.now();
    return { segmentationMs: segmented - started, compositingMs: done - segmented, totalMs: done - started };
  }

  close(): void {
    this.segmenter.close();
    this.picture?.bitmap.close();
  }
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
    private readonly onFrame?: (cost: FrameCost) => void,
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
      this.background ??= Background.create();
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
      const cost = background.draw(lifted, this.stage);
      // Making the frame reads the canvas back: part of what compositing costs.
      const started = performance.now();
      const drawn = new VideoFrame(background.output.canvas, { timestamp: lifted.timestamp });
      const made = performance.now() - started;
      this.onFrame?.({ ...cost, compositingMs: cost.compositingMs + made, totalMs: cost.totalMs + made });
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
  constructor(effects: VideoEffects, onFrame?: (cost: FrameCost) => void) {
    super(new EffectsTransformer(effects, onFrame), 'tandem-video-effects');
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

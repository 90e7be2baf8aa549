import { BackgroundTransformer, ProcessorWrapper, type BackgroundOptions } from '@livekit/track-processors';
import type { LocalVideoTrack } from 'livekit-client';
import { PICTURES, segmenterAssets } from './assets.ts';
import { backgroundStage, meanLuma, needsVideoProcessor, nextGain, type VideoEffects } from './effects.ts';

/** Side of the tiny canvas a frame is drawn into to measure its brightness. */
const PROBE = { width: 32, height: 18 } as const;
/** Brightness is measured every this many frames; the gain moves smoothly in between. */
const MEASURE_EVERY = 6;

const pictureUrl = (id: string): string => PICTURES[id as keyof typeof PICTURES].url;

/**
 * Lifts dark frames: measures mean luma on a 32 × 18 copy now and then and draws the frame with a
 * brightness gain (1 when the picture is bright enough: the frame then passes untouched).
 */
class LowLight {
  private gain = 1;
  private frames = 0;
  private readonly probe = new OffscreenCanvas(PROBE.width, PROBE.height).getContext('2d', {
    willReadFrequently: true,
  });
  private readonly canvas = new OffscreenCanvas(1, 1);
  private readonly context = this.canvas.getContext('2d');

  lift(frame: VideoFrame): VideoFrame {
    if (this.probe === null || this.context === null) return frame;
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
 * MediaPipe's person segmentation (through @livekit/track-processors, our bundled files) for blur
 * and pictures, with the low-light lift before it. With no background the segmenter is idle and
 * frames pass through it.
 */
class EffectsTransformer extends BackgroundTransformer {
  private lowLight: LowLight | undefined;

  constructor(effects: VideoEffects, onFrameProcessed?: BackgroundOptions['onFrameProcessed']) {
    super({
      ...backgroundStage(effects.background, pictureUrl),
      assetPaths: segmenterAssets(),
      ...(onFrameProcessed === undefined ? {} : { onFrameProcessed }),
    });
    this.lowLight = effects.lowLight ? new LowLight() : undefined;
  }

  async apply(effects: VideoEffects): Promise<void> {
    if (effects.lowLight !== (this.lowLight !== undefined))
      this.lowLight = effects.lowLight ? new LowLight() : undefined;
    await this.update(backgroundStage(effects.background, pictureUrl));
  }

  override async transform(frame: VideoFrame, controller: TransformStreamDefaultController<VideoFrame>): Promise<void> {
    await super.transform(this.lowLight?.lift(frame) ?? frame, controller);
  }
}

/** The camera's processor: one per track, changed in place when the effects change. */
export class VideoEffectsProcessor extends ProcessorWrapper<BackgroundOptions, EffectsTransformer> {
  constructor(effects: VideoEffects, onFrameProcessed?: BackgroundOptions['onFrameProcessed']) {
    super(new EffectsTransformer(effects, onFrameProcessed), 'tandem-video-effects');
  }

  apply(effects: VideoEffects): Promise<void> {
    return this.transformer.apply(effects);
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

/**
 * The person segmenter in its own thread (a dedicated worker, bundled by Vite with the renderer):
 * MediaPipe's selfie segmentation (tasks-vision, our bundled model, on the CPU through XNNPACK)
 * on a small copy of a frame, answered with the person's mask. The call's thread then pays only
 * for compositing (videoEffects.ts). One picture at a time: the caller sends the next only once
 * the last is answered.
 */
import { FilesetResolver, ImageSegmenter } from '@mediapipe/tasks-vision';
import { maskAlpha } from './effects.ts';

export type SegmenterRequest =
  /** Loads tasks-vision's files and the model (absolute URLs: a worker has no document to resolve against). */
  | { readonly kind: 'load'; readonly fileSet: string; readonly modelAssetPath: string }
  /** Segments this picture (the frame at the model's size); the worker closes it. */
  | { readonly kind: 'segment'; readonly image: ImageBitmap };

export type SegmenterReply =
  | { readonly kind: 'loaded' }
  /** The mask (alpha: how likely it is the person), null when the model gave none; `ms`: what it took here. */
  | { readonly kind: 'mask'; readonly mask: ImageBitmap | null; readonly ms: number }
  | { readonly kind: 'failed'; readonly message: string };

/** What this file sees of its worker scope (the renderer's types are the window's). */
type WorkerScope = {
  onmessage: ((event: MessageEvent<SegmenterRequest>) => void) | null;
  postMessage(message: SegmenterReply, transfer?: Transferable[]): void;
};
const scope = self as unknown as WorkerScope;
const reply = (message: SegmenterReply, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

let segmenter: ImageSegmenter | undefined;
let canvas: OffscreenCanvasRenderingContext2D | undefined;
let alpha: ImageData | undefined;

async function load(fileSet: string, modelAssetPath: string): Promise<void> {
  const files = await FilesetResolver.forVisionTasks(fileSet);
  segmenter = await ImageSegmenter.createFromOptions(files, {
    baseOptions: { modelAssetPath, delegate: 'CPU' },
    runningMode: 'VIDEO',
    outputConfidenceMasks: true,
    outputCategoryMask: false,
  });
}

/** The person's mask for this picture: an image whose alpha is how likely each point is the person. */
function segment(image: ImageBitmap): ImageBitmap | undefined {
  if (segmenter === undefined) throw new Error('the segmenter is not loaded');
  const { width, height } = image;
  // MediaPipe wants rising timestamps: this thread's clock gives them.
  const result = segmenter.segmentForVideo(image, performance.now());
  try {
    const confidence = result.confidenceMasks?.[0]?.getAsFloat32Array();
    if (confidence === undefined) return undefined;
    if (canvas === undefined || canvas.canvas.width !== width || canvas.canvas.height !== height) {
      const context = new OffscreenCanvas(width, height).getContext('2d');
      if (context === null) throw new Error('no 2D canvas here');
      canvas = context;
      alpha = new ImageData(width, height);
    }
    if (alpha === undefined) return undefined;
    maskAlpha(confidence, alpha.data);
    canvas.putImageData(alpha, 0, 0);
    return canvas.canvas.transferToImageBitmap();
  } finally {
    result.close();
  }
}

scope.onmessage = ({ data }) => {
  switch (data.kind) {
    case 'load':
      load(data.fileSet, data.modelAssetPath).then(
        () => reply({ kind: 'loaded' }),
        (e: unknown) => reply({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
      );
      return;
    case 'segment': {
      const started = performance.now();
      try {
        const mask = segment(data.image);
        const ms = performance.now() - started;
        if (mask === undefined) reply({ kind: 'mask', mask: null, ms });
        else reply({ kind: 'mask', mask, ms }, [mask]);
      } catch (e) {
        reply({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
      } finally {
        data.image.close();
      }
      return;
    }
    default: {
      const unreachable: never = data;
      throw new Error(`unknown segmenter request ${JSON.stringify(unreachable)}`);
    }
  }
};

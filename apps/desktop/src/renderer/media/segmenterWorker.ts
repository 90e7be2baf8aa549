/**
 * The person segmenter in its own thread (a dedicated worker, bundled by Vite with the renderer):
 * MediaPipe's selfie segmentation (tasks-vision, our bundled model, on the CPU through XNNPACK)
 * on a small copy of a frame, answered with the person's mask. The call's thread then pays only
 * for compositing (videoEffects.ts). One picture at a time: the caller sends the next only once
 * the last is answered. Pictures come as I420 planes and are turned into RGB here, off the call's
 * thread; the model resizes them to its own input (256 × 144) and the mask comes back at their size.
 */
import { FilesetResolver, ImageSegmenter } from '@mediapipe/tasks-vision';
import { maskAlpha } from './effects.ts';
import { i420, i420ToRgba, plane, type Plane, type YuvMatrix } from './planes.ts';

export type SegmenterRequest =
  /** Loads tasks-vision's files and the model (absolute URLs: a worker has no document to resolve against). */
  | { readonly kind: 'load'; readonly fileSet: string; readonly modelAssetPath: string }
  /** Segments this picture (the frame, small: an I420 buffer, `width × height`, of this colour matrix). */
  | {
      readonly kind: 'segment';
      readonly i420: Uint8Array<ArrayBuffer>;
      readonly width: number;
      readonly height: number;
      readonly matrix: YuvMatrix;
    };

export type SegmenterReply =
  | { readonly kind: 'loaded' }
  /** The mask (0: background … 255: the person) at the picture's size, null when the model gave none; `ms`: what it took here. */
  | { readonly kind: 'mask'; readonly mask: Plane | null; readonly ms: number }
  | { readonly kind: 'failed'; readonly message: string };

/** What this file sees of its worker scope (the renderer's types are the window's). */
type WorkerScope = {
  onmessage: ((event: MessageEvent<SegmenterRequest>) => void) | null;
  postMessage(message: SegmenterReply, transfer?: Transferable[]): void;
};
const scope = self as unknown as WorkerScope;
const reply = (message: SegmenterReply, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

let segmenter: ImageSegmenter | undefined;
let rgb: ImageData | undefined;

async function load(fileSet: string, modelAssetPath: string): Promise<void> {
  const files = await FilesetResolver.forVisionTasks(fileSet);
  segmenter = await ImageSegmenter.createFromOptions(files, {
    baseOptions: { modelAssetPath, delegate: 'CPU' },
    runningMode: 'VIDEO',
    outputConfidenceMasks: true,
    outputCategoryMask: false,
  });
}

/** The person's mask for this picture. */
function segment({ i420: bytes, width, height, matrix }: SegmenterRequest & { kind: 'segment' }): Plane | undefined {
  if (segmenter === undefined) throw new Error('the segmenter is not loaded');
  if (rgb === undefined || rgb.width !== width || rgb.height !== height) rgb = new ImageData(width, height);
  i420ToRgba(i420(width, height, bytes), rgb.data, matrix);
  // MediaPipe wants rising timestamps: this thread's clock gives them.
  const result = segmenter.segmentForVideo(rgb, performance.now());
  try {
    const confidence = result.confidenceMasks?.[0]?.getAsFloat32Array();
    if (confidence === undefined) return undefined;
    if (confidence.length !== width * height)
      throw new Error(`a mask of ${confidence.length} points for ${width}×${height}`);
    const mask = plane(width, height);
    maskAlpha(confidence, mask.data);
    return mask;
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
        const mask = segment(data);
        const ms = performance.now() - started;
        if (mask === undefined) reply({ kind: 'mask', mask: null, ms });
        else reply({ kind: 'mask', mask, ms }, [mask.data.buffer]);
      } catch (e) {
        reply({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
      return;
    }
    default: {
      const unreachable: never = data;
      throw new Error(`unknown segmenter request ${JSON.stringify(unreachable)}`);
    }
  }
};

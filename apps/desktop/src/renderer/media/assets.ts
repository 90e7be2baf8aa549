import rnnoiseWasm from '@sapphi-red/web-noise-suppressor/rnnoise.wasm?url';
import rnnoiseSimdWasm from '@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm?url';
import rnnoiseWorklet from '@sapphi-red/web-noise-suppressor/rnnoiseWorklet.js?url';
import dots from './assets/dots.svg';
import dusk from './assets/dusk.svg';
import sea from './assets/sea.svg';
import studio from './assets/studio.svg';
import type { BUNDLED_BACKGROUNDS } from '@tandem/shared';
import type { MessageId } from '../i18n/locales/en.ts';

/**
 * Every file the media processors load, bundled with the renderer (see assets/README.md for
 * where each comes from): nothing is fetched from anywhere else at run time.
 */
export const RNNOISE = { worklet: rnnoiseWorklet, wasm: rnnoiseWasm, simdWasm: rnnoiseSimdWasm } as const;

/** The bundled backgrounds with their names. */
export const PICTURES: Readonly<Record<(typeof BUNDLED_BACKGROUNDS)[number], { label: MessageId; url: string }>> = {
  dusk: { label: 'media.picture.dusk', url: dusk },
  sea: { label: 'media.picture.sea', url: sea },
  studio: { label: 'media.picture.studio', url: studio },
  dots: { label: 'media.picture.dots', url: dots },
};

/**
 * MediaPipe's segmenter files, which it loads by name from one folder: the build puts them in
 * `segmenter/` beside the page (apps/desktop/scripts/mediaAssets.ts, SEGMENTER_DIR).
 */
export function segmenterAssets(): { readonly tasksVisionFileSet: string; readonly modelAssetPath: string } {
  const folder = new URL('segmenter', document.baseURI).href;
  return { tasksVisionFileSet: folder, modelAssetPath: `${folder}/selfie_segmentation_landscape.tflite` };
}

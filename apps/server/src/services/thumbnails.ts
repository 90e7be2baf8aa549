import sharp from 'sharp';

/** A thumbnail's longest side in pixels: enough for a chat preview on a high-density screen. */
export const THUMBNAIL_PX = 640;
/** Images larger than this (in pixels) are not decoded at all: a small file can claim a huge canvas. */
const MAX_INPUT_PIXELS = 50_000_000;

/**
 * Writes a WebP thumbnail of the image coming through `source` to `target`: turned upright by its
 * EXIF orientation, at most THUMBNAIL_PX a side (never enlarged), the first frame of an animation.
 * Rejects when the bytes are not an image sharp (libvips) can read.
 */
export async function writeThumbnail(source: NodeJS.ReadableStream, target: string): Promise<void> {
  const transformer = sharp({ limitInputPixels: MAX_INPUT_PIXELS, animated: false, failOn: 'error' })
    .rotate()
    .resize({ width: THUMBNAIL_PX, height: THUMBNAIL_PX, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 78 });
  source.on('error', (error: Error) => transformer.destroy(error));
  source.pipe(transformer);
  await transformer.toFile(target);
}

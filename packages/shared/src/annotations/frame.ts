/**
 * Normalised frame coordinates ⇄ pixels of a video element that letterboxes the shared screen.
 *
 * A `<video>` with `object-fit: contain` scales the frame uniformly by
 * `s = min(boxWidth / frameWidth, boxHeight / frameHeight)` and centres it, leaving bars on two
 * sides. The painted frame is then the rectangle
 *   left = box.left + (box.width  - s · frameWidth)  / 2,  width  = s · frameWidth
 *   top  = box.top  + (box.height - s · frameHeight) / 2,  height = s · frameHeight
 * and a normalised point (x, y) sits at (left + x · width, top + y · height). Lengths stored as
 * fractions of the frame height (stroke width, font size) are multiplied by `height`. The same
 * mapping serves the sharer's overlay window: there the "box" is the captured screen or window
 * and there are no bars.
 */
import { quantize, type NormalizedPoint } from './element.ts';

export type Size = { readonly width: number; readonly height: number };
export type Rect = Size & { readonly left: number; readonly top: number };
export type PixelPoint = { readonly x: number; readonly y: number };

/** Where a frame of `frame` size is painted inside `box` with object-fit: contain. */
export function containedRect(frame: Size, box: Rect): Rect {
  if (frame.width <= 0 || frame.height <= 0) return { left: box.left, top: box.top, width: 0, height: 0 };
  const scale = Math.min(box.width / frame.width, box.height / frame.height);
  const width = frame.width * scale;
  const height = frame.height * scale;
  return { left: box.left + (box.width - width) / 2, top: box.top + (box.height - height) / 2, width, height };
}

export function toPixels(point: NormalizedPoint, painted: Rect): PixelPoint {
  return { x: painted.left + point[0] * painted.width, y: painted.top + point[1] * painted.height };
}

/**
 * The frame point under a pixel, or null when the pixel lies on a letterbox bar (or the frame is
 * not painted yet), so a pointer there shows nothing. While a stroke is being drawn, use
 * `toNormalizedClamped` instead so the stroke follows the edge rather than breaking off.
 */
export function toNormalized(pixel: PixelPoint, painted: Rect): NormalizedPoint | null {
  if (painted.width <= 0 || painted.height <= 0) return null;
  const x = (pixel.x - painted.left) / painted.width;
  const y = (pixel.y - painted.top) / painted.height;
  return x < 0 || x > 1 || y < 0 || y > 1 ? null : quantize([x, y]);
}

export function toNormalizedClamped(pixel: PixelPoint, painted: Rect): NormalizedPoint {
  if (painted.width <= 0 || painted.height <= 0) return [0, 0];
  return quantize([(pixel.x - painted.left) / painted.width, (pixel.y - painted.top) / painted.height]);
}

/** A length stored as a fraction of the frame height, in pixels of the painted frame. */
export function lengthToPixels(fractionOfHeight: number, painted: Rect): number {
  return fractionOfHeight * painted.height;
}

/**
 * A board as files: SVG from the same nodes the call renders (`shapeNode`), PNG painted on a
 * canvas by the recorder's painter, both at the board's frame size on its background.
 */
import { annotations } from '@tandem/shared';
import { shapeOf } from '../collab/annotations/shapes.ts';
import { serializeSvg, shapeNode, type SvgNode } from '../collab/annotations/svgNode.ts';
import { paintShape } from '../recorder/paint.ts';

/** The board's colour: the author palette and the sticky ink both read on it. */
export const BOARD_BACKGROUND = '#20242c';

const FRAME = annotations.BOARD_FRAME;
const PAINTED: annotations.Rect = { left: 0, top: 0, ...FRAME };

/** The elements painted, bottom first, as shapes at the board's frame size. */
const shapes = (scene: annotations.Scene) =>
  annotations.paintOrder(scene).map((element) => ({ element, shape: shapeOf(element, PAINTED) }));

/** A standalone SVG document of the board. */
export function boardSvg(scene: annotations.Scene): string {
  const root: SvgNode = {
    tag: 'g',
    attrs: { 'font-family': 'system-ui, sans-serif' },
    children: [
      { tag: 'rect', attrs: { x: 0, y: 0, width: FRAME.width, height: FRAME.height, fill: BOARD_BACKGROUND } },
      ...shapes(scene).map(({ element, shape }) => ({
        tag: 'g' as const,
        attrs: { 'data-element-id': element.id },
        children: [shapeNode(shape, element.color)],
      })),
    ],
  };
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${FRAME.width}" height="${FRAME.height}" viewBox="0 0 ${FRAME.width} ${FRAME.height}">` +
    `${serializeSvg(root)}</svg>\n`
  );
}

/** A PNG of the board. */
export async function boardPng(scene: annotations.Scene): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = FRAME.width;
  canvas.height = FRAME.height;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('no 2D canvas');
  ctx.fillStyle = BOARD_BACKGROUND;
  ctx.fillRect(0, 0, FRAME.width, FRAME.height);
  for (const { element, shape } of shapes(scene)) paintShape(ctx, shape, element.color);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob === null ? reject(new Error('the PNG was not made')) : resolve(blob)), 'image/png'),
  );
}

/** A file name from the meeting's title: letters, digits and dashes only. */
export function exportName(title: string, extension: 'png' | 'svg'): string {
  const stem = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${stem === '' ? 'whiteboard' : `${stem}-whiteboard`}.${extension}`;
}

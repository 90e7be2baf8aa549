import { annotations } from '@tandem/shared';

type Rect = annotations.Rect;
type Px = annotations.PixelPoint;

/** How an element is painted in SVG, in pixels of the overlay. Pure, so it is tested without a DOM. */
export type Shape =
  | { readonly kind: 'polyline'; readonly points: readonly Px[]; readonly width: number; readonly opacity: number }
  | {
      readonly kind: 'arrow';
      readonly from: Px;
      readonly to: Px;
      readonly head: readonly [Px, Px];
      readonly width: number;
    }
  | {
      readonly kind: 'rectangle';
      readonly x: number;
      readonly y: number;
      readonly w: number;
      readonly h: number;
      readonly width: number;
    }
  | {
      readonly kind: 'ellipse';
      readonly cx: number;
      readonly cy: number;
      readonly rx: number;
      readonly ry: number;
      readonly width: number;
    }
  | { readonly kind: 'text'; readonly x: number; readonly y: number; readonly size: number; readonly text: string }
  | {
      readonly kind: 'sticky';
      readonly x: number;
      readonly y: number;
      /** The square's side, in pixels. */
      readonly side: number;
      /** Font size (line height) in pixels. */
      readonly size: number;
      readonly lines: readonly string[];
    };

/** Text on a sticky note starts this far (a fraction of its side) from its edges. */
export const STICKY_PADDING = 0.08;
/** The ink colour on a sticky note: dark on every colour of the author palette. */
export const STICKY_INK = '#1b1b1f';
/** Line height on a sticky note, relative to its font size. */
export const STICKY_LINE = 1.25;

/** A highlighter is a wide translucent pen, so what it covers stays readable. */
const HIGHLIGHTER = { widthFactor: 4, opacity: 0.35 } as const;
/** Arrow head: length relative to the line width, and the angle of each barb. */
const HEAD = { lengthFactor: 5, minLength: 10, angle: Math.PI / 7 } as const;

/** Takes a draft too, so a stroke being drawn looks the same as when it is finished. */
export function shapeOf(element: annotations.ElementDraft, painted: Rect): Shape {
  const px = (p: annotations.NormalizedPoint) => annotations.toPixels(p, painted);
  const width = Math.max(1, annotations.lengthToPixels(element.strokeWidth, painted));
  switch (element.kind) {
    case 'pen':
    case 'highlighter': {
      const highlight = element.kind === 'highlighter';
      return {
        kind: 'polyline',
        points: element.points.map(px),
        width: highlight ? width * HIGHLIGHTER.widthFactor : width,
        opacity: highlight ? HIGHLIGHTER.opacity : 1,
      };
    }
    case 'arrow': {
      const from = px(element.from);
      const to = px(element.to);
      const angle = Math.atan2(to.y - from.y, to.x - from.x);
      const length = Math.max(HEAD.minLength, width * HEAD.lengthFactor);
      const barb = (side: 1 | -1): Px => ({
        x: to.x - length * Math.cos(angle - side * HEAD.angle),
        y: to.y - length * Math.sin(angle - side * HEAD.angle),
      });
      return { kind: 'arrow', from, to, head: [barb(1), barb(-1)], width };
    }
    case 'rectangle': {
      const a = px(element.from);
      const b = px(element.to);
      return {
        kind: 'rectangle',
        x: Math.min(a.x, b.x),
        y: Math.min(a.y, b.y),
        w: Math.abs(a.x - b.x),
        h: Math.abs(a.y - b.y),
        width,
      };
    }
    case 'ellipse': {
      const a = px(element.from);
      const b = px(element.to);
      return {
        kind: 'ellipse',
        cx: (a.x + b.x) / 2,
        cy: (a.y + b.y) / 2,
        rx: Math.abs(a.x - b.x) / 2,
        ry: Math.abs(a.y - b.y) / 2,
        width,
      };
    }
    case 'text': {
      const at = px(element.at);
      return {
        kind: 'text',
        x: at.x,
        y: at.y,
        size: annotations.lengthToPixels(element.fontSize, painted),
        text: element.text,
      };
    }
    case 'sticky': {
      const at = px(element.at);
      return {
        kind: 'sticky',
        x: at.x,
        y: at.y,
        side: annotations.lengthToPixels(element.side, painted),
        size: annotations.lengthToPixels(element.fontSize, painted),
        lines: element.text.split('\n'),
      };
    }
    default: {
      const never: never = element;
      throw new Error(`unknown element ${String(never)}`);
    }
  }
}

/** SVG `points` of a polyline. */
export function pointsAttribute(points: readonly Px[]): string {
  return points.map((p) => `${round(p.x)},${round(p.y)}`).join(' ');
}

const round = (v: number): number => Math.round(v * 100) / 100;

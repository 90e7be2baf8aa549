import { STICKY_INK, STICKY_LINE, STICKY_PADDING, type Shape } from '../collab/annotations/shapes.ts';

/**
 * One annotation shape on a canvas, in its author's colour: the canvas twin of `ShapeView` (which
 * paints the same shapes in SVG for the call), so a recording shows what people saw.
 */
export function paintShape(ctx: CanvasRenderingContext2D, shape: Shape, color: string): void {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  const polyline = (points: readonly { readonly x: number; readonly y: number }[], width: number) => {
    ctx.lineWidth = width;
    ctx.beginPath();
    points.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
    ctx.stroke();
  };
  switch (shape.kind) {
    case 'polyline':
      ctx.globalAlpha = shape.opacity;
      polyline(shape.points, shape.width);
      break;
    case 'arrow':
      polyline([shape.from, shape.to, shape.head[0], shape.to, shape.head[1]], shape.width);
      break;
    case 'rectangle':
      ctx.lineWidth = shape.width;
      ctx.strokeRect(shape.x, shape.y, shape.w, shape.h);
      break;
    case 'ellipse':
      ctx.lineWidth = shape.width;
      ctx.beginPath();
      ctx.ellipse(shape.cx, shape.cy, shape.rx, shape.ry, 0, 0, Math.PI * 2);
      ctx.stroke();
      break;
    case 'text':
      ctx.font = `${shape.size}px system-ui, sans-serif`;
      ctx.textBaseline = 'hanging';
      ctx.fillText(shape.text, shape.x, shape.y);
      break;
    case 'sticky': {
      const pad = shape.side * STICKY_PADDING;
      ctx.fillRect(shape.x, shape.y, shape.side, shape.side);
      ctx.fillStyle = STICKY_INK;
      ctx.font = `${shape.size}px system-ui, sans-serif`;
      ctx.textBaseline = 'hanging';
      shape.lines.forEach((line, i) => ctx.fillText(line, shape.x + pad, shape.y + pad + i * shape.size * STICKY_LINE));
      break;
    }
    default: {
      const never: never = shape;
      throw new Error(`unknown shape ${String(never)}`);
    }
  }
  ctx.restore();
}

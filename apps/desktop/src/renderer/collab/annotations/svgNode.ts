import { pointsAttribute, STICKY_INK, STICKY_LINE, STICKY_PADDING, type Shape } from './shapes.ts';

/**
 * A shape as SVG, described as data: `ShapeView` renders it with React in the call, and
 * `serializeSvg` writes it as markup for an exported file, so both draw exactly the same thing.
 * Attribute names are SVG's own (`stroke-width`), values already in pixels.
 */
export type SvgNode = {
  readonly tag: 'g' | 'polyline' | 'rect' | 'ellipse' | 'text' | 'tspan';
  readonly attrs: Readonly<Record<string, string | number>>;
  /** Text content, for `text` and `tspan`. */
  readonly text?: string;
  readonly children?: readonly SvgNode[];
};

/** One element's shape in its author's colour. */
export function shapeNode(shape: Shape, color: string): SvgNode {
  const stroke = { stroke: color, fill: 'none', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' } as const;
  switch (shape.kind) {
    case 'polyline':
      return {
        tag: 'polyline',
        attrs: {
          points: pointsAttribute(shape.points),
          'stroke-width': shape.width,
          opacity: shape.opacity,
          ...stroke,
        },
      };
    case 'arrow':
      return {
        tag: 'polyline',
        attrs: {
          points: pointsAttribute([shape.from, shape.to, shape.head[0], shape.to, shape.head[1]]),
          'stroke-width': shape.width,
          ...stroke,
        },
      };
    case 'rectangle':
      return {
        tag: 'rect',
        attrs: { x: shape.x, y: shape.y, width: shape.w, height: shape.h, 'stroke-width': shape.width, ...stroke },
      };
    case 'ellipse':
      return {
        tag: 'ellipse',
        attrs: { cx: shape.cx, cy: shape.cy, rx: shape.rx, ry: shape.ry, 'stroke-width': shape.width, ...stroke },
      };
    case 'text':
      return {
        tag: 'text',
        attrs: { x: shape.x, y: shape.y, 'font-size': shape.size, fill: color, 'dominant-baseline': 'hanging' },
        text: shape.text,
      };
    case 'sticky': {
      const pad = shape.side * STICKY_PADDING;
      return {
        tag: 'g',
        attrs: {},
        children: [
          {
            tag: 'rect',
            attrs: { x: shape.x, y: shape.y, width: shape.side, height: shape.side, rx: pad / 2, fill: color },
          },
          {
            tag: 'text',
            attrs: { 'font-size': shape.size, fill: STICKY_INK, 'dominant-baseline': 'hanging' },
            children: shape.lines.map((line, i) => ({
              tag: 'tspan',
              attrs: { x: shape.x + pad, y: shape.y + pad + i * shape.size * STICKY_LINE },
              text: line,
            })),
          },
        ],
      };
    }
    default: {
      const never: never = shape;
      throw new Error(`unknown shape ${String(never)}`);
    }
  }
}

const escape = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Markup of a node and its children: attributes quoted and escaped, text escaped. */
export function serializeSvg(node: SvgNode): string {
  const attrs = Object.entries(node.attrs)
    .map(([name, value]) => ` ${name}="${escape(String(value))}"`)
    .join('');
  const inner = (node.children ?? []).map(serializeSvg).join('') + escape(node.text ?? '');
  return `<${node.tag}${attrs}>${inner}</${node.tag}>`;
}

import { pointsAttribute, type Shape } from './shapes.ts';

/** One element's shape in SVG, drawn in its author's colour. */
export function ShapeView({ shape, color }: { readonly shape: Shape; readonly color: string }) {
  const stroke = { stroke: color, fill: 'none', strokeLinecap: 'round', strokeLinejoin: 'round' } as const;
  switch (shape.kind) {
    case 'polyline':
      return (
        <polyline
          points={pointsAttribute(shape.points)}
          strokeWidth={shape.width}
          opacity={shape.opacity}
          {...stroke}
        />
      );
    case 'arrow':
      return (
        <polyline
          points={pointsAttribute([shape.from, shape.to, shape.head[0], shape.to, shape.head[1]])}
          strokeWidth={shape.width}
          {...stroke}
        />
      );
    case 'rectangle':
      return <rect x={shape.x} y={shape.y} width={shape.w} height={shape.h} strokeWidth={shape.width} {...stroke} />;
    case 'ellipse':
      return <ellipse cx={shape.cx} cy={shape.cy} rx={shape.rx} ry={shape.ry} strokeWidth={shape.width} {...stroke} />;
    case 'text':
      return (
        <text x={shape.x} y={shape.y} fontSize={shape.size} fill={color} dominantBaseline="hanging">
          {shape.text}
        </text>
      );
    default: {
      const never: never = shape;
      throw new Error(`unknown shape ${String(never)}`);
    }
  }
}

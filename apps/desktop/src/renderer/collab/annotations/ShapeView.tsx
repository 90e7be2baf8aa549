import { createElement, type ReactElement } from 'react';
import type { Shape } from './shapes.ts';
import { shapeNode, type SvgNode } from './svgNode.ts';

/** SVG's attribute names as React spells them (`stroke-width` → `strokeWidth`). */
const reactName = (name: string): string => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

function NodeView({ node }: { readonly node: SvgNode }): ReactElement {
  const props = Object.fromEntries(Object.entries(node.attrs).map(([name, value]) => [reactName(name), value]));
  const children = node.children?.map((child, i) => <NodeView key={i} node={child} />) ?? node.text;
  return createElement(node.tag, props, children);
}

/** One element's shape in SVG, drawn in its author's colour (the same nodes an export writes). */
export function ShapeView({ shape, color }: { readonly shape: Shape; readonly color: string }) {
  return <NodeView node={shapeNode(shape, color)} />;
}

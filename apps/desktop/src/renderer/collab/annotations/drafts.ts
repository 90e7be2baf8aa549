/**
 * A mark being drawn, before it becomes an element: started, extended and finished the same way
 * by the pointer and by the keyboard (whose cursor moves with the arrow keys).
 */
import { annotations } from '@tandem/shared';
import type { Tool } from './model.ts';

/** Line width as a fraction of the frame height: readable on a 1080p screen. */
export const STROKE = 0.004;

/** The tools that draw a line or a shape from a press to a release. */
export type DrawingTool = 'pen' | 'highlighter' | 'arrow' | 'rectangle' | 'ellipse';

export type Draft =
  | { readonly tool: 'pen' | 'highlighter'; readonly points: readonly annotations.NormalizedPoint[] }
  | {
      readonly tool: 'arrow' | 'rectangle' | 'ellipse';
      readonly from: annotations.NormalizedPoint;
      readonly to: annotations.NormalizedPoint;
    };

export function isDrawingTool(tool: Tool): tool is DrawingTool {
  return tool === 'pen' || tool === 'highlighter' || tool === 'arrow' || tool === 'rectangle' || tool === 'ellipse';
}

export function startDraft(tool: DrawingTool, at: annotations.NormalizedPoint): Draft {
  return tool === 'pen' || tool === 'highlighter' ? { tool, points: [at] } : { tool, from: at, to: at };
}

/** A freehand line gains the point; a shape's far corner (or an arrow's head) moves there. */
export function extendDraft(draft: Draft, at: annotations.NormalizedPoint): Draft {
  return 'points' in draft ? { ...draft, points: [...draft.points, at] } : { ...draft, to: at };
}

export function draftElement(draft: Draft, color: string): annotations.ElementDraft {
  const common = { color, strokeWidth: STROKE };
  switch (draft.tool) {
    case 'pen':
    case 'highlighter':
      return { ...common, kind: draft.tool, points: draft.points };
    case 'arrow':
    case 'rectangle':
    case 'ellipse':
      return { ...common, kind: draft.tool, from: draft.from, to: draft.to };
    default: {
      const never: never = draft;
      throw new Error(`unknown draft ${String(never)}`);
    }
  }
}

/** How far one press of an arrow key moves the keyboard cursor, as a fraction of the frame; with Shift. */
export const KEY_STEP = { small: 0.01, large: 0.05 } as const;

const DIRECTIONS: Readonly<Record<string, readonly [number, number]>> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/** Where an arrow key moves the keyboard cursor, kept inside the frame; null for any other key. */
export function movedCursor(
  at: annotations.NormalizedPoint,
  key: string,
  large: boolean,
): annotations.NormalizedPoint | null {
  const direction = DIRECTIONS[key];
  if (direction === undefined) return null;
  const step = large ? KEY_STEP.large : KEY_STEP.small;
  return annotations.quantize([at[0] + direction[0] * step, at[1] + direction[1] * step]);
}

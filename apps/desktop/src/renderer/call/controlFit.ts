/** How the control bar draws its buttons: icon and label, or icon alone (the label stays as the name). */
export type ControlMode = 'labelled' | 'compact';

export type FitControl = {
  readonly id: string;
  /**
   * Order in which controls leave the bar for the "More" menu when the row is too narrow: lowest
   * first. `null` never leaves (mute, leave).
   */
  readonly rank: number | null;
};

/** Rendered widths in px by control id, per mode; `more` is the "More" button's. */
export type ControlWidths = Readonly<Record<ControlMode, ReadonlyMap<string, number>>>;

export const MORE = 'more';

export type ControlFit = {
  readonly mode: ControlMode;
  /** Ids that live in the "More" menu, in bar order. Empty: no "More" button. */
  readonly overflow: readonly string[];
};

/**
 * Which controls fit one row of `available` px, the way meeting apps do it: every control with
 * its label if they all fit; else icons alone; else icons alone with the lowest-ranked controls
 * moved into a "More" menu until the row fits. A width not measured yet counts as 0, so the bar
 * first renders in that mode (and is measured) before anything moves.
 */
export function fitControls({
  controls,
  widths,
  available,
  gap,
}: {
  /** In bar order. */
  readonly controls: readonly FitControl[];
  readonly widths: ControlWidths;
  readonly available: number;
  /** Space between two buttons of the row. */
  readonly gap: number;
}): ControlFit {
  const rowWidth = (mode: ControlMode, ids: readonly string[]) =>
    ids.reduce((sum, id) => sum + (widths[mode].get(id) ?? 0), 0) + gap * Math.max(ids.length - 1, 0);
  const all = controls.map((c) => c.id);
  if (rowWidth('labelled', all) <= available) return { mode: 'labelled', overflow: [] };
  if (rowWidth('compact', all) <= available) return { mode: 'compact', overflow: [] };

  const leaving = controls
    .filter((c): c is FitControl & { readonly rank: number } => c.rank !== null)
    .toSorted((a, b) => a.rank - b.rank);
  const moved = new Set<string>();
  for (const control of leaving) {
    moved.add(control.id);
    if (rowWidth('compact', [...all.filter((id) => !moved.has(id)), MORE]) <= available) break;
  }
  return { mode: 'compact', overflow: all.filter((id) => moved.has(id)) };
}

export function sameFit(a: ControlFit, b: ControlFit): boolean {
  return (
    a.mode === b.mode && a.overflow.length === b.overflow.length && a.overflow.every((id, i) => b.overflow[i] === id)
  );
}

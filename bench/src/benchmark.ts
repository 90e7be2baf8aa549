/** A goal as the issue states it: the figure's key, the comparison and the bound. */
export type Goal = {
  readonly figure: string;
  readonly below?: number;
  readonly atMost?: number;
  readonly atLeast?: number;
  readonly unit: string;
};

export type Benchmark = {
  readonly id: string;
  readonly what: string;
  readonly goals: readonly Goal[];
  /** Measures and returns the parameters used, the figures (flat keys, numbers) and any detail behind them. */
  run(): Promise<{
    readonly params: Readonly<Record<string, unknown>>;
    readonly figures: Readonly<Record<string, number>>;
    readonly detail?: Readonly<Record<string, unknown>>;
  }>;
};

export type GoalVerdict = Goal & { readonly measured: number | undefined; readonly met: boolean };

export function judge(goals: readonly Goal[], figures: Readonly<Record<string, number>>): GoalVerdict[] {
  return goals.map((goal) => {
    const measured = figures[goal.figure];
    const met =
      measured !== undefined &&
      (goal.below === undefined || measured < goal.below) &&
      (goal.atMost === undefined || measured <= goal.atMost) &&
      (goal.atLeast === undefined || measured >= goal.atLeast);
    return { ...goal, measured, met };
  });
}

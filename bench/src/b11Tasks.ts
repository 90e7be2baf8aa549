/**
 * What B11 says about each task of a host page's load: its wall time, and what ran in it, from
 * the page's own Long Animation Frames entries (untraced loads) or from a Chromium trace (traced
 * loads, with each task's CPU time).
 */

/** A part of a task: what ran (a script's invoker, style and layout, a trace event's name) and for how long (ms). */
export type Part = { readonly what: string; readonly ms: number };

/** A long task as B11 reports it: wall and, when traced, CPU time (ms), and its biggest parts. */
export type TaskReport = {
  readonly sdk: boolean;
  /** What the trace says the task was (its outermost event, or what posted it), when traced. */
  readonly task?: string;
  readonly wallMs: number;
  readonly cpuMs?: number;
  readonly parts: readonly Part[];
};

/** A Long Tasks API entry as the page records it. */
export type LongTaskEntry = { readonly startTime: number; readonly duration: number };

/** The fields of a `long-animation-frame` entry (and its scripts) that B11 reads. */
export type FrameEntry = {
  readonly startTime: number;
  readonly duration: number;
  readonly styleAndLayoutStart: number;
  readonly scripts: readonly {
    readonly startTime: number;
    readonly duration: number;
    readonly invoker: string;
    readonly forcedStyleAndLayoutDuration: number;
  }[];
};

const round = (ms: number): number => Math.round(ms * 10) / 10;

/** The parts worth naming, biggest first: at least 1 ms, at most six. */
const biggest = (parts: Map<string, number>): Part[] =>
  [...parts]
    .filter(([, ms]) => ms >= 1)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([what, ms]) => ({ what, ms: round(ms) }));

/** A script's invoker without the page's origin (`http://127.0.0.1:4711/tandem/sdk.js` → `/tandem/sdk.js`). */
const invokerOf = (invoker: string): string => invoker.replace(/^https?:\/\/[^/]+/, '');

/**
 * Attributes a long task to the scripts the browser's Long Animation Frames API saw run in it
 * (each ≥ 5 ms, with the style and layout they forced) and to the frame's own style and layout
 * when that ran in the task; what is left is the browser's (parsing, compiling, loading, GC).
 */
export function attributeLongTask(task: LongTaskEntry, frames: readonly FrameEntry[], sdk: boolean): TaskReport {
  const end = task.startTime + task.duration;
  const within = (t: number): boolean => t >= task.startTime - 1 && t <= end + 1;
  const parts = new Map<string, number>();
  const add = (what: string, ms: number): void => void parts.set(what, (parts.get(what) ?? 0) + ms);
  for (const frame of frames) {
    for (const s of frame.scripts)
      if (within(s.startTime)) {
        add(`script ${invokerOf(s.invoker)}`, s.duration - s.forcedStyleAndLayoutDuration);
        add('forced style and layout', s.forcedStyleAndLayoutDuration);
      }
    if (frame.styleAndLayoutStart > 0 && within(frame.styleAndLayoutStart))
      add('style and layout', Math.min(end, frame.startTime + frame.duration) - frame.styleAndLayoutStart);
  }
  const named = [...parts.values()].reduce((a, b) => a + b, 0);
  add('other (parse, compile, browser)', task.duration - named);
  return { sdk, wallMs: round(task.duration), parts: biggest(parts) };
}

/** A Chromium trace event, the fields B11 reads. */
export type TraceEvent = {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: {
    readonly name?: string;
    /** What posted a `ThreadControllerImpl::RunTask` (`PendingScriptFinished`, `ScheduledActionSendBeginMainFrame`, …). */
    readonly src_func?: string;
    readonly data?: { readonly url?: unknown; readonly functionName?: unknown; readonly type?: unknown };
    readonly beginData?: { readonly url?: unknown };
  };
};

/** How many of a traced load's tasks of most CPU time are reported, long or not. */
const BUSIEST = 3;

/** The trace events a task's time is put down to, and how each is labelled. */
const LABELS: Readonly<Record<string, (e: TraceEvent) => string>> = {
  EvaluateScript: (e) => `evaluate ${invokerOf(String(e.args?.data?.url ?? ''))}`,
  FunctionCall: (e) =>
    `call ${String(e.args?.data?.functionName ?? '') || '(anonymous)'} ${invokerOf(String(e.args?.data?.url ?? ''))}`,
  TimerFire: () => 'timer',
  RunMicrotasks: () => 'microtasks',
  'V8.RunMicrotasks': () => 'microtasks',
  EventDispatch: (e) => `event ${String(e.args?.data?.type ?? '')}`,
  ParseHTML: () => 'parse HTML',
  'v8.compile': () => 'compile',
  UpdateLayoutTree: () => 'style',
  Layout: () => 'layout',
  Paint: () => 'paint',
  MinorGC: () => 'GC',
  MajorGC: () => 'GC',
  'DocumentLoader::CommitNavigation': () => 'navigation commit',
};

/**
 * The tasks of the page's main thread in a Chromium trace of its load (categories `toplevel`,
 * `devtools.timeline`): its outermost slices, each a task, wall and CPU (thread) time of each.
 * Not only `ThreadControllerImpl::RunTask`: a `scheduler.yield()` continuation is a task of its
 * own but traced as a bare microtask checkpoint. For the `BUSIEST` tasks of most CPU time and those
 * whose wall time is at least `reportWallMs`, their parts by CPU time (the outermost labelled
 * event of each kind; what is in none is the task's own, "other"). A task's wall time on a busy
 * machine includes the time its thread waited for a core; its CPU time is what it costs.
 */
export function traceTasks(
  events: readonly TraceEvent[],
  url: string,
  sdk: boolean,
  reportWallMs: number,
): { cpu: number[]; reports: TaskReport[] } {
  // The renderer that loaded the page, and its main thread.
  const pids = new Set(events.filter((e) => (e.args?.beginData ?? e.args?.data)?.url === url).map((e) => e.pid));
  const main = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && pids.has(e.pid))
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = events
    .filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`))
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const tasks: TraceEvent[] = [];
  const taskEnds = new Map<string, number>();
  for (const e of onMain) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.ts < (taskEnds.get(thread) ?? -Infinity)) continue;
    tasks.push(e);
    taskEnds.set(thread, e.ts + (e.dur ?? 0));
  }
  const labelled = onMain.filter((e) => LABELS[e.name] !== undefined);
  const busiest = new Set([...tasks].sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0)).slice(0, BUSIEST));
  const reports: TaskReport[] = [];
  for (const task of tasks) {
    const wallMs = (task.dur ?? 0) / 1000;
    if (wallMs < reportWallMs && !busiest.has(task)) continue;
    const end = task.ts + (task.dur ?? 0);
    const parts = new Map<string, number>();
    let coveredUntil = task.ts;
    let named = 0;
    for (const e of labelled) {
      if (e.pid !== task.pid || e.tid !== task.tid || e.ts < coveredUntil || e.ts >= end) continue;
      const what = LABELS[e.name]?.(e) ?? e.name;
      const ms = (e.tdur ?? 0) / 1000;
      parts.set(what, (parts.get(what) ?? 0) + ms);
      named += ms;
      coveredUntil = e.ts + (e.dur ?? 0);
    }
    const cpuMs = (task.tdur ?? 0) / 1000;
    parts.set('other', Math.max(0, cpuMs - named));
    reports.push({
      sdk,
      task: task.args?.src_func ?? task.name,
      wallMs: round(wallMs),
      cpuMs: round(cpuMs),
      parts: biggest(parts),
    });
  }
  return { cpu: tasks.map((e) => (e.tdur ?? 0) / 1000), reports };
}

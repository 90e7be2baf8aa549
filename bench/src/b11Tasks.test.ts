import { describe, expect, it } from 'vitest';
import { attributeLongTask, traceTasks, type TraceEvent } from './b11Tasks.ts';

const URL = 'http://127.0.0.1:4711/order/1';
const on = (name: string, ts: number, dur: number, tdur: number, args?: TraceEvent['args']): TraceEvent => ({
  name,
  ph: 'X',
  pid: 1,
  tid: 7,
  ts,
  dur,
  tdur,
  ...(args === undefined ? {} : { args }),
});

describe('B11: what ran in a task of the host page’s load', () => {
  it('puts a long task down to the scripts and the style and layout its animation frame saw in it', () => {
    const report = attributeLongTask(
      { startTime: 100, duration: 80 },
      [
        {
          startTime: 100,
          duration: 90,
          styleAndLayoutStart: 160,
          scripts: [
            {
              startTime: 102,
              duration: 40,
              invoker: 'http://127.0.0.1:4711/tandem/sdk.js',
              forcedStyleAndLayoutDuration: 5,
            },
            // Another task's script, in the same frame.
            { startTime: 185, duration: 5, invoker: 'TimerHandler:setTimeout', forcedStyleAndLayoutDuration: 0 },
          ],
        },
      ],
      true,
    );
    expect(report).toEqual({
      sdk: true,
      wallMs: 80,
      parts: [
        { what: 'script /tandem/sdk.js', ms: 35 },
        { what: 'style and layout', ms: 20 },
        { what: 'other (parse, compile, browser)', ms: 20 },
        { what: 'forced style and layout', ms: 5 },
      ],
    });
  });

  it('takes each outermost slice of the page’s main thread as a task, a scheduler.yield continuation too, with its CPU by part', () => {
    const events: TraceEvent[] = [
      { name: 'thread_name', ph: 'M', pid: 1, tid: 7, ts: 0, args: { name: 'CrRendererMain' } },
      { name: 'thread_name', ph: 'M', pid: 2, tid: 9, ts: 0, args: { name: 'CrRendererMain' } },
      on('ParseHTML', 0, 1000, 800, { beginData: { url: URL } }),
      // The script's task: evaluation, then the page's first style and layout.
      on('ThreadControllerImpl::RunTask', 10_000, 60_000, 20_000, { src_func: 'PendingScriptFinished' }),
      on('EvaluateScript', 10_000, 30_000, 12_000, { data: { url: 'http://127.0.0.1:4711/tandem/sdk.js' } }),
      on('FunctionCall', 11_000, 5000, 2000, { data: { functionName: 'run' } }),
      on('UpdateLayoutTree', 45_000, 5000, 3000),
      on('Layout', 50_000, 10_000, 4000),
      // A continuation: no RunTask around it.
      on('BlinkScheduler_PerformMicrotaskCheckpoint', 80_000, 9000, 7000),
      // Another renderer's task is not the page's.
      { ...on('ThreadControllerImpl::RunTask', 10_000, 90_000, 90_000), pid: 2, tid: 9 },
    ];
    const { cpu, reports } = traceTasks(events, URL, true, 50);
    expect(cpu).toEqual([0.8, 20, 7]);
    expect(reports).toEqual([
      {
        sdk: true,
        task: 'ParseHTML',
        wallMs: 1,
        cpuMs: 0.8,
        parts: [],
      },
      {
        sdk: true,
        task: 'PendingScriptFinished',
        wallMs: 60,
        cpuMs: 20,
        parts: [
          { what: 'evaluate /tandem/sdk.js', ms: 12 },
          { what: 'layout', ms: 4 },
          { what: 'style', ms: 3 },
          { what: 'other', ms: 1 },
        ],
      },
      {
        sdk: true,
        task: 'BlinkScheduler_PerformMicrotaskCheckpoint',
        wallMs: 9,
        cpuMs: 7,
        parts: [{ what: 'other', ms: 7 }],
      },
    ]);
  });
});

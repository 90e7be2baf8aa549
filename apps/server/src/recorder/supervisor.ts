import { fork, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { RecorderReportSchema, type RecorderFinishReason, type RecorderJob } from '@tandem/shared';

/** How a recorder process ended. `failed` carries why, in words for people. */
export type RecorderOutcome =
  | { readonly kind: 'finished'; readonly reason: RecorderFinishReason }
  | { readonly kind: 'failed'; readonly reason: string };

export type RecorderHooks = {
  /** The recorder wrote its first chunk at `at`: the recording really runs. */
  recording(at: string): void;
  /** The recorder process is gone (finished, failed, crashed or killed). Called exactly once. */
  exited(outcome: RecorderOutcome): void;
  /** A live stream's health (ffmpeg pushes to its destination); recordings have none. */
  streaming?(stats: { readonly fps: number; readonly bitrateKbps: number }): void;
};

export type RecorderSupervisor = {
  /** Forks one recorder process for the job. */
  start(job: RecorderJob, hooks: RecorderHooks): void;
  /** Asks the recorder to finish; false when no recorder of that recording runs here. */
  stop(recordingId: string): boolean;
  /** The server is closing: every recorder is asked to finish and awaited (killed after the grace). */
  close(): Promise<void>;
};

export type RecorderLog = { info(message: string): void; warn(message: string): void };

export type SupervisorOptions = {
  /** The recorder's entry module (apps/recorder/src/main.ts) and the folder it runs in. */
  readonly entry: string;
  readonly cwd: string;
  readonly log: RecorderLog;
  /** How long a recorder may take to finish after `stop` before it is killed. */
  readonly stopGraceMs?: number;
};

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  const how = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
  return `the recorder stopped unexpectedly (${how})`;
}

function forwardLines(stream: Readable | null, line: (text: string) => void): void {
  if (stream === null) return;
  readline.createInterface({ input: stream }).on('line', line);
}

/**
 * Starts and watches recorder processes, one per recording. A recorder runs in its own process
 * group (it starts Chromium), which is killed as a whole once the recorder is gone, so nothing it
 * started outlives it. The outcome comes from the recorder's last report; a recorder that exits
 * without one crashed, whatever its exit code.
 */
export function recorderSupervisor(options: SupervisorOptions): RecorderSupervisor {
  const grace = options.stopGraceMs ?? 30_000;
  /** `killed`: it overran the grace after `stop`. */
  const running = new Map<string, { readonly child: ChildProcess; readonly gone: Promise<void>; killed: boolean }>();
  const stopTimers = new Map<string, NodeJS.Timeout>();

  function killGroup(child: ChildProcess): void {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is empty already.
    }
  }

  return {
    start(job, hooks) {
      const id = job.recordingId;
      const child = fork(options.entry, ['--recording', id], {
        cwd: options.cwd,
        execArgv: ['--import', 'tsx'],
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      let final: RecorderOutcome | undefined;
      let exit: RecorderOutcome | undefined;
      let channelClosed = false;
      let settled = false;
      let resolveGone: () => void = () => {};
      const gone = new Promise<void>((resolve) => {
        resolveGone = resolve;
      });
      // Reports sent just before exiting arrive before the IPC channel closes: settle once both are over.
      const settle = () => {
        if (settled || exit === undefined || !channelClosed) return;
        settled = true;
        clearTimeout(stopTimers.get(id));
        stopTimers.delete(id);
        const killed = running.get(id)?.killed === true;
        running.delete(id);
        killGroup(child);
        const outcome: RecorderOutcome = killed
          ? { kind: 'failed', reason: `the recorder did not finish within ${Math.round(grace / 1000)} s of the stop` }
          : (final ?? exit);
        options.log.info(`recorder ${id} ${outcome.kind}: ${outcome.reason}`);
        hooks.exited(outcome);
        resolveGone();
      };
      child.on('message', (message) => {
        const report = RecorderReportSchema.safeParse(message);
        if (!report.success) {
          options.log.warn(`recorder ${id} sent a report that is not one: ${JSON.stringify(message).slice(0, 200)}`);
          return;
        }
        const r = report.data;
        switch (r.type) {
          case 'recording':
            hooks.recording(r.at);
            return;
          case 'finished':
            final = { kind: 'finished', reason: r.reason };
            return;
          case 'failed':
            final = { kind: 'failed', reason: r.message };
            return;
          case 'streaming':
            hooks.streaming?.({ fps: r.fps, bitrateKbps: r.bitrateKbps });
            return;
          default: {
            const never: never = r;
            throw new Error(`unknown recorder report ${String(never)}`);
          }
        }
      });
      child.once('disconnect', () => {
        channelClosed = true;
        settle();
      });
      child.once('exit', (code, signal) => {
        exit = { kind: 'failed', reason: describeExit(code, signal) };
        // A process that never had a channel (it could not start) has nothing more to say.
        if (!child.connected) channelClosed = true;
        settle();
      });
      child.once('error', (error) => {
        options.log.warn(`recorder ${id}: ${error.message}`);
        if (child.pid === undefined) {
          exit = { kind: 'failed', reason: `the recorder could not be started: ${error.message}` };
          channelClosed = true;
          settle();
        }
      });
      forwardLines(child.stdout, (line) => options.log.info(`recorder ${id}: ${line}`));
      forwardLines(child.stderr, (line) => options.log.warn(`recorder ${id}: ${line}`));
      running.set(id, { child, gone, killed: false });
      options.log.info(`recorder ${id} started (pid ${String(child.pid)})`);
      child.send(job);
    },

    stop(recordingId) {
      const r = running.get(recordingId);
      if (r === undefined) return false;
      if (!stopTimers.has(recordingId)) {
        if (r.child.connected) r.child.send({ type: 'stop' });
        stopTimers.set(
          recordingId,
          setTimeout(() => {
            const still = running.get(recordingId);
            if (still === undefined) return;
            options.log.warn(`recorder ${recordingId} did not finish within ${grace} ms: killed`);
            still.killed = true;
            killGroup(still.child);
          }, grace),
        );
      }
      return true;
    },

    async close() {
      const all = [...running.entries()];
      for (const [id] of all) this.stop(id);
      await Promise.all(all.map(([, r]) => r.gone));
    },
  };
}

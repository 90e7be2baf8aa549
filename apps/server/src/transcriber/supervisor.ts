import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TranscriberReportSchema, type TranscriberJob, type TranscriberReport } from '@tandem/shared';

export type TranscriberHooks = {
  /** Every report the transcriber sends (tracks, audio, its own failure). */
  report(report: TranscriberReport): void;
  /** The process is gone (it finished, failed or was killed). Called exactly once. */
  exited(how: string): void;
};

export type TranscriberSupervisor = {
  /** Forks one transcriber process for the meeting; false when one runs for it already. */
  start(job: TranscriberJob, hooks: TranscriberHooks): boolean;
  running(meetingId: string): boolean;
  /** Asks it to leave (killed after the grace); false when none runs for the meeting. */
  stop(meetingId: string): boolean;
  close(): Promise<void>;
};

/** The transcriber's entry, beside this file: a separate process, never imported. */
const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');

/**
 * Starts and watches transcriber processes, one per meeting with captions (see main.ts). Reports
 * are validated before the hooks hear them; a process that overruns the grace after `stop` is killed.
 */
export function transcriberSupervisor(options: {
  readonly log: { info(message: string): void; warn(message: string): void };
  readonly stopGraceMs?: number;
}): TranscriberSupervisor {
  const grace = options.stopGraceMs ?? 5000;
  const running = new Map<string, { readonly child: ChildProcess; readonly gone: Promise<void> }>();

  return {
    start(job, hooks) {
      const id = job.meetingId;
      if (running.has(id)) return false;
      const child = fork(ENTRY, ['--meeting', id], {
        // In the server's workspace, where `tsx` resolves, whatever folder the server runs from.
        cwd: path.resolve(path.dirname(ENTRY), '../..'),
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      const gone = new Promise<void>((resolve) => {
        child.once('exit', (code, signal) => {
          running.delete(id);
          const how = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
          options.log.info(`transcriber ${id} ended (${how})`);
          hooks.exited(how);
          resolve();
        });
      });
      child.once('error', (error) => options.log.warn(`transcriber ${id}: ${error.message}`));
      child.on('message', (message) => {
        const report = TranscriberReportSchema.safeParse(message);
        if (report.success) hooks.report(report.data);
        else options.log.warn(`transcriber ${id} sent a report that is not one`);
      });
      for (const stream of [child.stdout, child.stderr]) {
        if (stream !== null)
          readline.createInterface({ input: stream }).on('line', (l) => options.log.info(`transcriber ${id}: ${l}`));
      }
      running.set(id, { child, gone });
      options.log.info(`transcriber ${id} started (pid ${String(child.pid)})`);
      child.send(job);
      return true;
    },

    running: (meetingId) => running.has(meetingId),

    stop(meetingId) {
      const r = running.get(meetingId);
      if (r === undefined) return false;
      if (r.child.connected) r.child.send({ type: 'stop' });
      setTimeout(() => {
        if (running.get(meetingId) === r) r.child.kill('SIGKILL');
      }, grace).unref();
      return true;
    },

    async close() {
      const all = [...running.entries()];
      for (const [id] of all) this.stop(id);
      await Promise.all(all.map(([, r]) => r.gone));
    },
  };
}

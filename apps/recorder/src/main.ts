/**
 * The recorder process: one recording, started and supervised by the coordination server
 * (apps/server/src/recorder/supervisor.ts forks this file with an IPC channel). It reads one
 * `start` job, records until `stop` (or until the call ends, or the server goes away), reports on
 * the channel and exits. Exit without a `finished` report means it failed; the server keeps what
 * was written either way.
 */
import {
  RecorderCommandSchema,
  type RecorderFinishReason,
  type RecorderJob,
  type RecorderReport,
} from '@tandem/shared';
import { startRecording, type RunningRecording } from './chromium.ts';
import { openSink } from './sinks.ts';

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'starting'; stopAsked: RecorderFinishReason | null }
  | { readonly kind: 'running'; readonly recording: RunningRecording }
  | { readonly kind: 'ending' };

let state: State = { kind: 'idle' };

/** Lines for the server's log: problems on stderr (warnings there), progress on stdout. */
const note = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const progress = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Resolves once the report is handed to the channel (or at once when the server is gone). */
function report(r: RecorderReport): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) return resolve();
    process.send(r, undefined, {}, () => resolve());
  });
}

async function exit(code: number): Promise<never> {
  if (process.connected) process.disconnect();
  process.exit(code);
}

async function fail(message: string): Promise<void> {
  const was = state;
  if (was.kind === 'ending') return;
  state = { kind: 'ending' };
  if (was.kind === 'running') await was.recording.abort();
  note(`failed: ${message}`);
  await report({ type: 'failed', message });
  await exit(1);
}

async function finish(reason: RecorderFinishReason): Promise<void> {
  const was = state;
  switch (was.kind) {
    case 'idle':
      state = { kind: 'ending' };
      await report({ type: 'finished', reason, bytes: 0 });
      return exit(0);
    case 'starting':
      // Finished as soon as it runs.
      was.stopAsked ??= reason;
      return;
    case 'running': {
      state = { kind: 'ending' };
      let bytes: number;
      try {
        bytes = await was.recording.stop();
      } catch (e) {
        note(`stopping failed: ${e instanceof Error ? e.message : String(e)}`);
        await report({ type: 'failed', message: 'the recorder could not finish the file cleanly' });
        return exit(1);
      }
      await report({ type: 'finished', reason, bytes });
      return exit(0);
    }
    case 'ending':
      return;
    default: {
      const never: never = was;
      throw new Error(`unknown state ${String(never)}`);
    }
  }
}

async function begin(job: RecorderJob): Promise<void> {
  if (state.kind !== 'idle') return;
  const starting: State = { kind: 'starting', stopAsked: null };
  state = starting;
  let recording: RunningRecording;
  try {
    // A live stream's ffmpeg ending by itself ends the stream: it failed, with its reason.
    const sink = await openSink(job.output, {
      progress: (stats) => void report({ type: 'streaming', ...stats }),
      failed: (reason) => void fail(reason),
      note,
    });
    recording = await startRecording(
      job,
      {
        ended: (reason) => {
          progress(`the call ended: ${reason}`);
          void finish('call_ended');
        },
        broke: (message) => void fail(message),
        note,
        progress,
      },
      sink,
    );
  } catch (e) {
    return fail(`the recorder could not join the call: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (state !== starting) {
    // It failed while starting.
    await recording.abort();
    return;
  }
  state = { kind: 'running', recording };
  await report({ type: 'recording', at: new Date().toISOString() });
  if (starting.stopAsked !== null) await finish(starting.stopAsked);
}

process.on('message', (raw) => {
  const command = RecorderCommandSchema.safeParse(raw);
  if (!command.success) {
    note(`ignored a command that is not one: ${JSON.stringify(raw).slice(0, 200)}`);
    return;
  }
  if (command.data.type === 'start') void begin(command.data);
  else void finish('stopped');
});
// The server went away (or asks us to end): finish the file rather than lose its tail.
process.on('disconnect', () => void finish('stopped'));
process.on('SIGTERM', () => void finish('stopped'));
process.on('SIGINT', () => void finish('stopped'));

import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import type { SpeechStatus } from '@tandem/shared';
import { z } from 'zod';

/** The sidecar's answers (tools/speech/README.md). */
const SidecarMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), model: z.string(), loadMs: z.number() }),
  z.object({
    type: z.literal('segment'),
    stream: z.string(),
    start: z.number().nonnegative(),
    end: z.number().nonnegative(),
    text: z.string(),
    transcribeMs: z.number(),
  }),
  z.object({ type: z.literal('partial'), stream: z.string(), start: z.number().nonnegative(), text: z.string() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);

/** An utterance the sidecar heard: seconds since its stream's first sample. */
export type HeardSegment = {
  readonly stream: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly transcribeMs: number;
};

/** An utterance so far, while its speaker goes on: `start` is the one its segment will have. */
export type HeardPartial = { readonly stream: string; readonly start: number; readonly text: string };

export type SpeechSidecar = {
  status(): SpeechStatus;
  /** Resolves once the sidecar is ready or known to be unavailable. */
  settled(): Promise<SpeechStatus>;
  /** PCM s16le 16 kHz mono; dropped while the sidecar is not ready. */
  audio(stream: string, pcm: Buffer): void;
  /** The stream ended: what is pending is transcribed, then the stream is forgotten. */
  flush(stream: string): void;
  onSegment(listener: (segment: HeardSegment) => void): void;
  onPartial(listener: (partial: HeardPartial) => void): void;
  close(): Promise<void>;
};

export type SidecarOptions = {
  readonly python: string;
  readonly script: string;
  readonly log: { info(message: string): void; warn(message: string): void };
  /** A sidecar that dies is started again this many times (with a growing pause) before it is given up. */
  readonly maxRestarts?: number;
};

/**
 * The speech sidecar (tools/speech/sidecar.py), one per server: the model is loaded once and
 * every meeting's audio goes through it. A sidecar that cannot start (Python or the model missing)
 * leaves speech `unavailable` with the reason; one that crashes later is restarted.
 */
export function speechSidecar(options: SidecarOptions): SpeechSidecar {
  const maxRestarts = options.maxRestarts ?? 3;
  const listeners: ((segment: HeardSegment) => void)[] = [];
  const partialListeners: ((partial: HeardPartial) => void)[] = [];
  let status: SpeechStatus = { state: 'starting' };
  let child: ChildProcess | undefined;
  let restarts = 0;
  let closing = false;
  let lastError = '';
  let waiters: ((s: SpeechStatus) => void)[] = [];

  const become = (next: SpeechStatus): void => {
    status = next;
    if (next.state === 'starting') return;
    for (const w of waiters) w(next);
    waiters = [];
  };

  function launch(): void {
    const proc = spawn(options.python, [options.script], { stdio: ['pipe', 'pipe', 'pipe'] });
    child = proc;
    proc.stdin.on('error', () => {
      // The sidecar went away mid-write: its exit says so.
    });
    readline.createInterface({ input: proc.stdout }).on('line', (line) => {
      let parsed: z.infer<typeof SidecarMessageSchema>;
      try {
        parsed = SidecarMessageSchema.parse(JSON.parse(line));
      } catch {
        options.log.warn(`speech sidecar said something that is not a message: ${line.slice(0, 200)}`);
        return;
      }
      switch (parsed.type) {
        case 'ready':
          options.log.info(`speech sidecar ready: ${parsed.model} loaded in ${parsed.loadMs} ms`);
          restarts = 0;
          become({ state: 'ready', model: parsed.model });
          return;
        case 'segment':
          for (const l of listeners) l(parsed);
          return;
        case 'partial':
          for (const l of partialListeners) l(parsed);
          return;
        case 'error':
          lastError = parsed.message;
          options.log.warn(`speech sidecar: ${parsed.message}`);
          return;
        default: {
          const never: never = parsed;
          throw new Error(`unknown sidecar message ${String(never)}`);
        }
      }
    });
    readline.createInterface({ input: proc.stderr }).on('line', (line) => {
      options.log.warn(`speech sidecar: ${line}`);
    });
    proc.once('error', (error) => {
      lastError = `the speech sidecar could not be started (${options.python}): ${error.message}`;
    });
    proc.once('close', (code, signal) => {
      child = undefined;
      if (closing) return;
      const why = lastError || `the speech sidecar stopped (${signal ?? `exit code ${String(code)}`})`;
      const wasReady = status.state === 'ready';
      // Never ready: it cannot start here (no Python, no model); ready before: it crashed, start it again.
      if (!wasReady || restarts >= maxRestarts) {
        options.log.warn(`speech is unavailable: ${why}`);
        become({ state: 'unavailable', reason: why });
        return;
      }
      restarts += 1;
      options.log.warn(`${why}; starting it again (${restarts}/${maxRestarts})`);
      become({ state: 'starting' });
      setTimeout(() => {
        if (!closing) launch();
      }, 500 * restarts).unref();
    });
  }

  const send = (message: object): void => {
    if (status.state !== 'ready' || child === undefined) return;
    child.stdin?.write(`${JSON.stringify(message)}\n`);
  };

  launch();

  return {
    status: () => status,
    settled: () =>
      status.state === 'starting' ? new Promise((resolve) => waiters.push(resolve)) : Promise.resolve(status),
    audio: (stream, pcm) => send({ type: 'audio', stream, pcm: pcm.toString('base64') }),
    flush: (stream) => send({ type: 'flush', stream }),
    onSegment: (listener) => {
      listeners.push(listener);
    },
    onPartial: (listener) => {
      partialListeners.push(listener);
    },
    async close() {
      closing = true;
      if (status.state === 'starting') become({ state: 'unavailable', reason: 'the server is closing' });
      const proc = child;
      if (proc === undefined) return;
      const gone = new Promise<void>((resolve) => proc.once('close', () => resolve()));
      proc.stdin?.end();
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** What stands in for the sidecar when IT turned transcription off: nothing starts, nothing is heard. */
export const speechOff: SpeechSidecar = {
  status: () => ({ state: 'off' }),
  settled: () => Promise.resolve({ state: 'off' }),
  audio: () => undefined,
  flush: () => undefined,
  onSegment: () => undefined,
  onPartial: () => undefined,
  close: () => Promise.resolve(),
};

import {
  RECORDER_PAGE,
  RecorderPageEventSchema,
  type RecorderJob,
  type RecorderPageApi,
  type RecorderPageOptions,
} from '@tandem/shared';
import { chromium, type Browser } from 'playwright-core';
import type { ChunkSink } from './sinks.ts';

/**
 * Headless Chromium for a recording: no GPU, no sandbox where it cannot have one (as root),
 * audio that plays without a gesture (the page mixes the call's audio with WebAudio), and
 * timers that are never throttled (the page draws the composite on a timer).
 */
function chromiumFlags(): string[] {
  return [
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
    // No renderer for the address bar's suggestion popup (a web page of its own in Chromium 156,
    // made for every window): ~0.5 s of CPU at each recording's start for UI nobody sees.
    '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup',
  ];
}

export type RecordingEvents = {
  /** The call ended for the recorder (everyone left, or the room closed): finish. */
  ended(reason: string): void;
  /** Something broke that the recording cannot survive. */
  broke(message: string): void;
  /** Problems the page reports (errors, warnings), for the server's log. */
  note(line: string): void;
  /** How it goes, for the server's log. */
  progress(line: string): void;
};

export type RunningRecording = {
  /** Stops MediaRecorder, writes its last chunk and closes Chromium; answers the bytes written. */
  stop(): Promise<number>;
  /** Closes Chromium without waiting for the page; what was written stays. */
  abort(): Promise<void>;
};

/** How long the page may take to hand over its last chunk after a stop. */
const STOP_TIMEOUT_MS = 20_000;

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type PageGlobals = Record<string, RecorderPageApi | undefined>;

/**
 * Opens the composition page in headless Chromium, has it join the call and record, and hands
 * every chunk to `sink` as it arrives (a file: synchronously, so a chunk is on disk before the
 * page sends the next one, and a crash keeps everything handed over before it; a live stream:
 * ffmpeg's input). Resolves once MediaRecorder runs.
 */
export async function startRecording(
  job: RecorderJob,
  events: RecordingEvents,
  sink: ChunkSink,
): Promise<RunningRecording> {
  const browser: Browser = await chromium.launch({
    executablePath: job.chromiumPath,
    headless: true,
    args: chromiumFlags(),
  });
  let closing = false;
  let bytes = 0;
  let open = true;
  const close = async (): Promise<void> => {
    closing = true;
    open = false;
    await sink.close();
    await browser.close().catch(() => undefined);
  };
  browser.on('disconnected', () => {
    if (!closing) events.broke('Chromium went away');
  });
  try {
    const { width, height } = job.page.video;
    const page = await browser.newPage({ viewport: { width, height } });
    page.on('crash', () => events.broke('the composition page crashed'));
    page.on('pageerror', (error) => events.note(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        events.note(`page ${message.type()}: ${message.text()}`);
    });
    const began = Date.now();
    await page.exposeFunction(RECORDER_PAGE.chunk, (base64: string) => {
      if (!open) return;
      const chunk = Buffer.from(base64, 'base64');
      sink.write(chunk);
      if (bytes === 0) events.progress(`first chunk written ${Date.now() - began} ms after the page opened`);
      bytes += chunk.length;
    });
    await page.exposeFunction(RECORDER_PAGE.event, (raw: unknown) => {
      const event = RecorderPageEventSchema.safeParse(raw);
      if (!event.success) return;
      if (event.data.type === 'ended') events.ended(event.data.reason);
      else events.broke(`the composition page failed: ${event.data.message}`);
    });
    await page.goto(job.pageUrl);
    await page.waitForFunction((name) => (globalThis as unknown as PageGlobals)[name] !== undefined, RECORDER_PAGE.api);
    await page.evaluate(
      ({ name, options }: { name: string; options: RecorderPageOptions }) =>
        (globalThis as unknown as PageGlobals)[name]?.start(options),
      { name: RECORDER_PAGE.api, options: job.page },
    );
    return {
      async stop() {
        try {
          await within(
            page.evaluate((name) => (globalThis as unknown as PageGlobals)[name]?.stop(), RECORDER_PAGE.api),
            STOP_TIMEOUT_MS,
            'handing over the last chunk',
          );
        } finally {
          await close();
        }
        return bytes;
      },
      abort: close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

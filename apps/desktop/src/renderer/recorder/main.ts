/**
 * The composition page a recorder process opens in headless Chromium (`recorder.html`, its own
 * entry of the renderer build; never part of the app). The recorder exposes the functions named in
 * RECORDER_PAGE before loading it and calls `start` and `stop` on the API defined here.
 */
import { RECORDER_PAGE, RecorderPageOptionsSchema, type RecorderPageApi, type RecorderPageEvent } from '@tandem/shared';
import { startPageRecording, type PageRecording, type RecordingSink } from './session.ts';

type Exposed = {
  readonly [RECORDER_PAGE.chunk]?: (base64: string) => Promise<void>;
  readonly [RECORDER_PAGE.event]?: (event: RecorderPageEvent) => Promise<void>;
};

function sink(): RecordingSink {
  const exposed = globalThis as Exposed;
  const chunk = exposed[RECORDER_PAGE.chunk];
  const event = exposed[RECORDER_PAGE.event];
  if (chunk === undefined || event === undefined) throw new Error('this page records only inside a recorder');
  return { chunk, event: (e) => void event(e) };
}

let recording: PageRecording | undefined;

const api: RecorderPageApi = {
  async start(options) {
    if (recording !== undefined) throw new Error('already recording');
    recording = await startPageRecording(RecorderPageOptionsSchema.parse(options), sink());
  },
  async stop() {
    await recording?.stop();
  },
};

Object.assign(globalThis, { [RECORDER_PAGE.api]: api });

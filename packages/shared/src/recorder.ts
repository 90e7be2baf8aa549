import { lazySchema } from './lazySchema.ts';
import { z } from 'zod';

/**
 * The recorder's contracts. The coordination server forks one recorder process per recording
 * (apps/recorder) and talks to it over Node's IPC channel; the recorder drives headless Chromium
 * on the composition page (the renderer build's `recorder.html`) through playwright-core.
 *
 *   server ──RecorderCommand──▶ recorder ──page.evaluate(RecorderPageOptions)──▶ page
 *   server ◀──RecorderReport─── recorder ◀──RECORDER_PAGE.chunk / .event──────── page
 */

/** What the page records: H.264 video and Opus audio in (fragmented) MP4, which Chromium writes. */
export const RECORDING_MIME_TYPE = 'video/mp4;codecs=avc1,opus';

export const RecorderVideoSchema = lazySchema(() =>
  z.object({
    width: z.number().int().min(160).max(3840),
    height: z.number().int().min(90).max(2160),
    fps: z.number().int().min(1).max(60),
    bitsPerSecond: z.number().int().min(100_000).max(20_000_000),
  }),
);
export type RecorderVideo = z.infer<typeof RecorderVideoSchema>;

/** What the page needs to join the call and compose it. */
export const RecorderPageOptionsSchema = lazySchema(() =>
  z.object({
    livekitUrl: z.string().min(1),
    token: z.string().min(1),
    video: RecorderVideoSchema,
    /** The recorder finishes by itself once nobody else has been in the call for this long. */
    aloneSeconds: z.number().int().positive(),
  }),
);
export type RecorderPageOptions = z.infer<typeof RecorderPageOptionsSchema>;

/**
 * Where the composite goes: a `file` (a recording: chunks are appended as MediaRecorder hands them
 * over, so a crash keeps what came), or an `rtmp` destination (a live stream: ffmpeg reads the
 * chunks on its standard input and pushes them to `url` + `/` + `key`; the key is a secret the
 * recorder never writes into a line of its log).
 */
export const RecorderOutputSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('file'), path: z.string().min(1) }),
    z.object({
      kind: z.literal('rtmp'),
      url: z.string().min(1),
      key: z.string().min(1),
      /**
       * The address the server resolved the host to when it checked the destination. ffmpeg
       * connects there and never resolves the name again, so a DNS answer that changes afterwards
       * cannot send the stream (and its key) elsewhere; the name stays in RTMP's tcUrl and, for
       * `rtmps://`, is the name the certificate must be valid for.
       */
      address: z.string().min(1),
      /** For `rtmps://`: a PEM file of the certificate authorities to trust instead of Node's. */
      caFile: z.string().min(1).optional(),
      ffmpegPath: z.string().min(1),
    }),
  ]),
);
export type RecorderOutput = z.infer<typeof RecorderOutputSchema>;

/** The first command: one recording (or live stream), written to `output` as it comes. */
export const RecorderJobSchema = lazySchema(() =>
  z.object({
    type: z.literal('start'),
    /** The recording's id, or the live stream's. */
    recordingId: z.string().min(1),
    /** The composition page (the renderer build's recorder.html, served by the coordination server). */
    pageUrl: z.string().min(1),
    chromiumPath: z.string().min(1),
    output: RecorderOutputSchema,
    page: RecorderPageOptionsSchema,
  }),
);
export type RecorderJob = z.infer<typeof RecorderJobSchema>;

export const RecorderCommandSchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    RecorderJobSchema,
    /** Finish: the last chunk is written, then the recorder reports `finished` and exits. */
    z.object({ type: z.literal('stop') }),
  ]),
);
export type RecorderCommand = z.infer<typeof RecorderCommandSchema>;

/** Why a recording finished without failing. */
export const RecorderFinishReasonSchema = lazySchema(() => z.enum(['stopped', 'call_ended']));
export type RecorderFinishReason = z.infer<typeof RecorderFinishReasonSchema>;

export const RecorderReportSchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    /** MediaRecorder runs: the recording's file starts at `at` (its first chunk follows within seconds). */
    z.object({ type: z.literal('recording'), at: z.iso.datetime() }),
    z.object({
      type: z.literal('finished'),
      reason: RecorderFinishReasonSchema,
      bytes: z.number().int().nonnegative(),
    }),
    z.object({ type: z.literal('failed'), message: z.string() }),
    /**
     * A live stream's health, from ffmpeg's `-progress` (every two seconds while it pushes): the
     * first one means the destination takes the stream.
     */
    z.object({
      type: z.literal('streaming'),
      fps: z.number().nonnegative(),
      bitrateKbps: z.number().nonnegative(),
    }),
  ]),
);
export type RecorderReport = z.infer<typeof RecorderReportSchema>;

/** What the page tells the recorder besides chunks. */
export const RecorderPageEventSchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    /** The call ended for the recorder: everyone left, or the room closed. */
    z.object({ type: z.literal('ended'), reason: z.string() }),
    z.object({ type: z.literal('error'), message: z.string() }),
  ]),
);
export type RecorderPageEvent = z.infer<typeof RecorderPageEventSchema>;

/**
 * Names on the page's `window`: the page defines `api` (start, stop) once loaded; the recorder
 * exposes `chunk` (base64 of one MediaRecorder chunk, resolved once written) and `event`.
 */
export const RECORDER_PAGE = {
  api: 'tandemRecorder',
  chunk: 'tandemRecorderChunk',
  event: 'tandemRecorderEvent',
} as const;

/** The composition page's API, as the recorder calls it through page.evaluate. */
export type RecorderPageApi = {
  /** Joins the call and starts recording; resolves once MediaRecorder runs. */
  start(options: RecorderPageOptions): Promise<void>;
  /** Stops MediaRecorder; resolves after its last chunk was handed over and written. */
  stop(): Promise<void>;
};

import { lazySchema } from './lazySchema.ts';
import { z } from 'zod';

/**
 * The transcriber's contracts. The coordination server forks one transcriber process per meeting
 * with captions (apps/server/src/transcriber/main.ts) and talks to it over Node's IPC channel. The
 * transcriber joins the call hidden, subscribes to every microphone and hands 16 kHz PCM to the
 * server, which passes it to the speech sidecar (tools/speech) and sends the captions out.
 *
 *   server ──TranscriberCommand──▶ transcriber ◀──audio── LiveKit
 *   server ◀──TranscriberReport─── transcriber
 */
export const TranscriberJobSchema = lazySchema(() =>
  z.object({
    type: z.literal('start'),
    meetingId: z.string().min(1),
    livekitUrl: z.string().min(1),
    token: z.string().min(1),
    /** The transcriber leaves by itself once nobody has been in the call for this long. */
    aloneSeconds: z.number().int().positive(),
  }),
);
export type TranscriberJob = z.infer<typeof TranscriberJobSchema>;

export const TranscriberCommandSchema = lazySchema(() =>
  z.discriminatedUnion('type', [TranscriberJobSchema, z.object({ type: z.literal('stop') })]),
);
export type TranscriberCommand = z.infer<typeof TranscriberCommandSchema>;

/** The participant behind a microphone track (LiveKit identity is the user id for people). */
export const TranscriberSpeakerSchema = lazySchema(() => z.object({ identity: z.string(), name: z.string() }));

export const TranscriberReportSchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('joined') }),
    /** A microphone track's audio starts: `stream` names it in the `audio` reports that follow. */
    z.object({ type: z.literal('track'), stream: z.string().min(1), speaker: TranscriberSpeakerSchema }),
    /** PCM s16le, 16 kHz, mono, base64; `at` is when the first sample of this chunk was heard (ms since epoch). */
    z.object({ type: z.literal('audio'), stream: z.string().min(1), pcm: z.string(), at: z.number() }),
    z.object({ type: z.literal('ended'), stream: z.string().min(1) }),
    z.object({ type: z.literal('failed'), message: z.string() }),
  ]),
);
export type TranscriberReport = z.infer<typeof TranscriberReportSchema>;

import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';

/**
 * A live stream's life: `starting` (a host asked; the recorder joins the call and ffmpeg connects
 * to the destination), `live` (the destination takes the stream: ffmpeg reports its health),
 * then `stopped` (a host stopped it, or the meeting ended) or `failed` (with why, in plain words).
 */
export const LiveStreamStatusSchema = lazySchema(() => z.enum(['starting', 'live', 'stopped', 'failed']));
export type LiveStreamStatus = z.infer<typeof LiveStreamStatusSchema>;

/** The statuses during which a stream runs: one at a time per meeting. */
export const RUNNING_STREAM_STATUSES = ['starting', 'live'] as const satisfies readonly LiveStreamStatus[];

/** Control characters or spaces have no place in an address or a key (and would split ffmpeg's argument). */
const PRINTABLE = /^[^\s\p{Cc}]+$/u;

/**
 * An ingest address's parts: the scheme (`rtmp://`), the host (a name, an IPv4 address or a
 * bracketed IPv6 one; no user name or password before it), then an optional port and the path.
 */
export const STREAM_URL_PARTS = /^(rtmps?:\/\/)([^/?#@:[\]]+|\[[0-9a-f:.]+\])((?::\d{1,5})?(?:\/.*)?)$/i;

/**
 * An RTMP or RTMPS ingest address (YouTube's `rtmp://a.rtmp.youtube.com/live2`, a company
 * portal's), without the stream key: that is given apart, as a secret.
 */
export const StreamUrlSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1)
    .max(500)
    .regex(PRINTABLE, 'no spaces or control characters')
    .regex(STREAM_URL_PARTS, 'an rtmp:// or rtmps:// address with a host'),
);

export const StreamKeySchema = lazySchema(() =>
  z.string().trim().min(1).max(500).regex(PRINTABLE, 'no spaces or control characters'),
);

/**
 * Start streaming the meeting to `url` with the stream `key`. The key is kept (encrypted) for the
 * meeting's next stream, so it may be left out to stream to the same destination again; it is
 * never answered.
 */
export const StartStreamRequestSchema = lazySchema(() =>
  z.strictObject({
    url: StreamUrlSchema,
    key: StreamKeySchema.optional(),
  }),
);
export type StartStreamRequest = z.infer<typeof StartStreamRequestSchema>;

export const LiveStreamSchema = lazySchema(() =>
  z.object({
    meetingId: IdSchema,
    status: LiveStreamStatusSchema,
    /** The ingest address, without the key. */
    url: z.string(),
    /** The host or panelist who started it, named as they were then. */
    startedBy: z.object({ id: IdSchema, name: z.string() }),
    startedAt: TimestampSchema,
    /** When the destination first took the stream; null until then. */
    liveSince: TimestampSchema.nullable(),
    endedAt: TimestampSchema.nullable(),
    /** Why it failed, in plain words (the key never in it); null unless `failed`. */
    failure: z.string().nullable(),
    /** ffmpeg's latest figures while live; null otherwise. */
    fps: z.number().nonnegative().nullable(),
    bitrateKbps: z.number().nonnegative().nullable(),
  }),
);
export type LiveStream = z.infer<typeof LiveStreamSchema>;

/** The meeting's stream (the latest one, running or not) and the destination a new one would reuse. */
export const StreamStateSchema = lazySchema(() =>
  z.object({
    stream: LiveStreamSchema.nullable(),
    /** The destination kept from the last stream: its address, and whether a key is kept for it. */
    destination: z.object({ url: z.string(), keySaved: z.boolean() }).nullable(),
    /** Null when a host may stream; `e2ee`: the server cannot see an end-to-end encrypted meeting's media. */
    unavailable: z.enum(['e2ee']).nullable(),
  }),
);
export type StreamState = z.infer<typeof StreamStateSchema>;

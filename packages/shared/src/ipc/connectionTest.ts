import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { TimestampSchema } from '../api/common.ts';
import { HealthSchema } from '../api/routes.ts';

/**
 * Help → Connection test, in the order it runs: the coordination server (HTTP), its WebSocket,
 * LiveKit signalling, the media path (UDP, else TCP or TURN), the TURN relay LiveKit offers (what
 * people behind firewalls that block the direct path fall back to), then camera and microphone.
 */
export const CONNECTION_CHECKS = ['server', 'websocket', 'livekit', 'media', 'relay', 'camera', 'microphone'] as const;
export const ConnectionCheckSchema = lazySchema(() => z.enum(CONNECTION_CHECKS));
export type ConnectionCheck = z.infer<typeof ConnectionCheckSchema>;

/** Why a check failed, as a code the screen translates. */
export const CONNECTION_FAILURES = [
  'not_signed_in',
  'unreachable',
  'timeout',
  'unexpected_answer',
  'unhealthy',
  'no_media_path',
  'relay_not_offered',
  'no_relay',
  'no_device',
  'denied',
  'device_failed',
] as const;
export const ConnectionFailureSchema = lazySchema(() => z.enum(CONNECTION_FAILURES));
export type ConnectionFailure = z.infer<typeof ConnectionFailureSchema>;

/** A finished check: `skipped` when the check it needs failed (no media path without signalling). */
export const ConnectionCheckResultSchema = lazySchema(() =>
  z.discriminatedUnion('state', [
    z
      .object({
        check: ConnectionCheckSchema,
        state: z.literal('passed'),
        ms: z.number().nonnegative(),
        detail: z.string().max(200).optional(),
      })
      .strict(),
    z
      .object({
        check: ConnectionCheckSchema,
        state: z.literal('failed'),
        ms: z.number().nonnegative(),
        reason: ConnectionFailureSchema,
      })
      .strict(),
    z.object({ check: ConnectionCheckSchema, state: z.literal('skipped') }).strict(),
  ]),
);
export type ConnectionCheckResult = z.infer<typeof ConnectionCheckResultSchema>;

/** One run of the connection test, as Collect logs puts it in the zip. */
export const ConnectionTestReportSchema = lazySchema(() =>
  z
    .object({ at: TimestampSchema, results: z.array(ConnectionCheckResultSchema).max(CONNECTION_CHECKS.length) })
    .strict(),
);
export type ConnectionTestReport = z.infer<typeof ConnectionTestReportSchema>;

/** What main's own probes (server, WebSocket) answer: they reach the server the way the app does. */
export const ConnectionProbeSchema = lazySchema(() =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), detail: z.string().max(200).optional() }),
    z.object({ ok: z.literal(false), reason: ConnectionFailureSchema }),
  ]),
);
export type ConnectionProbe = z.infer<typeof ConnectionProbeSchema>;

/**
 * The connection test's server check, the same from the app's main process and from the browser
 * client: the coordination server's `/healthz` over HTTP. Any answer of ours means reachable (503
 * too: LiveKit, which the next checks test, may be what is down); its database must be up.
 */
export async function probeServer<Signal>(
  baseUrl: string,
  io: {
    /** Node's and the browser's `fetch` both fit. */
    readonly fetch: (url: string, init: { signal: Signal }) => Promise<{ json(): Promise<unknown> }>;
    /** The probe's abort signal (the platform's `AbortSignal.timeout`). */
    readonly timeout: () => Signal;
  },
): Promise<ConnectionProbe> {
  let response: { json(): Promise<unknown> };
  try {
    response = await io.fetch(`${baseUrl}/healthz`, { signal: io.timeout() });
  } catch (error) {
    return { ok: false, reason: error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'unreachable' };
  }
  const health = HealthSchema.safeParse(await response.json().catch(() => null));
  if (!health.success) return { ok: false, reason: 'unexpected_answer' };
  if (!health.data.database) return { ok: false, reason: 'unhealthy' };
  return { ok: true };
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Zoom retries for a while; a signature older than this is treated as a replay. */
const DEFAULT_TOLERANCE_MS = 5 * 60_000;

function hmacHex(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

function equalText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export type ZoomSignatureCheck =
  { readonly ok: true } | { readonly ok: false; readonly reason: 'missing_headers' | 'stale' | 'bad_signature' };

/**
 * Checks `x-zm-signature` = `v0=` + hex HMAC-SHA256 over `v0:{x-zm-request-timestamp}:{raw body}`
 * keyed with the app's secret token. It needs the body bytes exactly as received: a re-serialised
 * JSON object would not match.
 */
export function verifyZoomSignature(input: {
  readonly secretToken: string;
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
  readonly rawBody: string;
  readonly nowMs: number;
  readonly toleranceMs?: number;
}): ZoomSignatureCheck {
  if (input.signature === undefined || input.timestamp === undefined || !/^\d+$/.test(input.timestamp)) {
    return { ok: false, reason: 'missing_headers' };
  }
  // Zoom sends the timestamp in seconds.
  const sentMs = Number(input.timestamp) * 1000;
  if (Math.abs(input.nowMs - sentMs) > (input.toleranceMs ?? DEFAULT_TOLERANCE_MS))
    return { ok: false, reason: 'stale' };
  const expected = `v0=${hmacHex(input.secretToken, `v0:${input.timestamp}:${input.rawBody}`)}`;
  return equalText(expected, input.signature) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

const WebhookSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('endpoint.url_validation'), payload: z.object({ plainToken: z.string().min(1) }) }),
  z.object({
    event: z.enum(['meeting.started', 'meeting.ended']),
    event_ts: z.number(),
    payload: z.object({
      account_id: z.string(),
      object: z.object({
        id: z.union([z.string(), z.number()]),
        uuid: z.string(),
        start_time: z.string().optional(),
        end_time: z.string().optional(),
      }),
    }),
  }),
]);

/** A linked meeting changed state; the service records it against our meeting. */
export type LinkedMeetingStateChange = {
  readonly provider: 'zoom';
  readonly meetingId: string;
  /** Zoom's id of this occurrence: a recurring meeting keeps its id, each instance has a uuid. */
  readonly instanceId: string;
  readonly state: 'started' | 'ended';
  readonly at: string;
};

export type ZoomWebhookResult =
  | { readonly kind: 'reply'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'state'; readonly change: LinkedMeetingStateChange; readonly status: 200 }
  | { readonly kind: 'ignored'; readonly status: 200 }
  | { readonly kind: 'rejected'; readonly status: 401 | 400; readonly reason: string };

/**
 * Everything the Zoom webhook route needs: verifies the signature, answers the
 * `endpoint.url_validation` challenge (`encryptedToken` = hex HMAC-SHA256 of `plainToken`),
 * and turns meeting.started / meeting.ended into a state change. Other events are
 * acknowledged and ignored, so Zoom does not retry them.
 */
export function handleZoomWebhook(input: {
  readonly secretToken: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: string;
  readonly nowMs: number;
}): ZoomWebhookResult {
  const header = (name: string) => {
    const value = input.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const check = verifyZoomSignature({
    secretToken: input.secretToken,
    signature: header('x-zm-signature'),
    timestamp: header('x-zm-request-timestamp'),
    rawBody: input.rawBody,
    nowMs: input.nowMs,
  });
  if (!check.ok) return { kind: 'rejected', status: 401, reason: check.reason };

  let json: unknown;
  try {
    json = JSON.parse(input.rawBody);
  } catch {
    return { kind: 'rejected', status: 400, reason: 'body is not JSON' };
  }
  const known = z.object({ event: z.string() }).safeParse(json);
  if (!known.success) return { kind: 'rejected', status: 400, reason: 'no event name' };
  if (!['endpoint.url_validation', 'meeting.started', 'meeting.ended'].includes(known.data.event)) {
    return { kind: 'ignored', status: 200 };
  }
  const parsed = WebhookSchema.safeParse(json);
  if (!parsed.success) return { kind: 'rejected', status: 400, reason: `unexpected ${known.data.event} payload` };
  const event = parsed.data;
  switch (event.event) {
    case 'endpoint.url_validation':
      return {
        kind: 'reply',
        status: 200,
        body: {
          plainToken: event.payload.plainToken,
          encryptedToken: hmacHex(input.secretToken, event.payload.plainToken),
        },
      };
    case 'meeting.started':
    case 'meeting.ended': {
      const object = event.payload.object;
      const state = event.event === 'meeting.started' ? 'started' : 'ended';
      const at = (state === 'started' ? object.start_time : object.end_time) ?? new Date(event.event_ts).toISOString();
      return {
        kind: 'state',
        status: 200,
        change: { provider: 'zoom', meetingId: String(object.id), instanceId: object.uuid, state, at },
      };
    }
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

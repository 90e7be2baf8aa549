import { seriesRefusal, zoomRoomConnector, type Weekday } from '@tandem/shared';
import { z } from 'zod';
import {
  isoUtc,
  type MeetingProvider,
  type ProviderEvent,
  type ProviderMeeting,
  type SeriesInput,
  type UpdateMeetingInput,
} from './model.ts';
import { gone, ProviderError } from './providerError.ts';
import { defaultHttpRuntime, providerHttp, type HttpRuntime } from './providerHttp.ts';
import type { TokenSource } from './tokenSource.ts';

export const ZOOM_API_BASE_URL = 'https://api.zoom.us';
export const ZOOM_TOKEN_URL = 'https://zoom.us/oauth/token';

/** Meeting object of POST /users/{userId}/meetings (201) and GET /meetings/{meetingId}. */
const MeetingSchema = z.object({
  id: z.number().int().positive(),
  topic: z.string().nullish(),
  start_time: z.string().nullish(),
  duration: z.number().nullish(),
  join_url: z.string().url(),
  password: z.string().nullish(),
  pstn_password: z.string().nullish(),
  /** The passcode H.323/SIP room systems enter (numeric, like `pstn_password`). */
  h323_password: z.string().nullish(),
  agenda: z.string().nullish(),
  settings: z
    .object({
      global_dial_in_numbers: z
        .array(
          z.object({
            number: z.string(),
            type: z.string().nullish(),
            country_name: z.string().nullish(),
            city: z.string().nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});

const MeetingListSchema = z.object({
  meetings: z.array(MeetingSchema.partial({ join_url: true }).extend({ join_url: z.string().nullish() })),
  next_page_token: z.string().nullish(),
});

const MAX_PAGES = 10;

function endOf(start: string | null, durationMinutes: number | null | undefined): string | null {
  if (start === null || durationMinutes == null) return null;
  return new Date(Date.parse(start) + durationMinutes * 60_000).toISOString();
}

function toMeeting(meeting: z.infer<typeof MeetingSchema>): ProviderMeeting {
  const startsAt = meeting.start_time ? isoUtc(meeting.start_time) : null;
  return {
    platform: 'zoom',
    externalId: String(meeting.id),
    joinUrl: meeting.join_url,
    meetingId: String(meeting.id),
    passcode: meeting.password || null,
    phonePasscode: meeting.pstn_password || null,
    dialIns: (meeting.settings?.global_dial_in_numbers ?? []).map((n) => ({
      number: n.number,
      label: [n.city, n.country_name].filter((part) => part).join(', ') || null,
      tollFree: n.type === 'tollfree',
    })),
    startsAt,
    endsAt: endOf(startsAt, meeting.duration),
    // Zoom answers no SIP address: its room connector's documented dial string, with the room-system passcode.
    sipBridge: zoomRoomConnector(String(meeting.id), meeting.h323_password || meeting.pstn_password || null),
  };
}

/** Zoom reads `start_time` as UTC when it ends in Z; it rejects fractional seconds. */
function zoomTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Zoom numbers weekdays from Sunday (1) to Saturday (7). */
const ZOOM_DAY: Readonly<Record<Weekday, number>> = { SU: 1, MO: 2, TU: 3, WE: 4, TH: 5, FR: 6, SA: 7 };
const ZOOM_FREQUENCY = { daily: 1, weekly: 2, monthly: 3 } as const;

/**
 * A series as Zoom's `recurrence` object of a recurring meeting with a fixed time (type 8). What
 * Zoom cannot keep (`seriesRefusal`) was refused before; it is refused here too, never sent.
 */
function zoomRecurrence(series: SeriesInput) {
  const { recurrence, start, untilAt } = series;
  const { frequency, end } = recurrence;
  if (seriesRefusal('zoom', recurrence) !== null || frequency === 'yearly' || end.type === 'never')
    throw new ProviderError('zoom', 'bad_response', 'Zoom cannot repeat a meeting this way');
  const onWeekday = recurrence.monthly?.on === 'weekday' ? recurrence.monthly.week : undefined;
  return {
    type: ZOOM_FREQUENCY[frequency],
    repeat_interval: recurrence.interval,
    ...(frequency === 'weekly'
      ? { weekly_days: (recurrence.weekdays ?? [start.weekday]).map((d) => ZOOM_DAY[d]).join(',') }
      : {}),
    ...(frequency === 'monthly'
      ? onWeekday === undefined
        ? { monthly_day: start.day }
        : { monthly_week: onWeekday, monthly_week_day: ZOOM_DAY[start.weekday] }
      : {}),
    ...(end.type === 'count' ? { end_times: end.count } : { end_date_time: zoomTime(untilAt ?? new Date(0)) }),
  };
}

/** What a create and an update send: a scheduled meeting (type 2), or a recurring one (type 8). */
const zoomBody = (input: UpdateMeetingInput) => ({
  topic: input.title,
  type: input.series === undefined ? 2 : 8,
  start_time: zoomTime(input.startsAt),
  duration: Math.max(1, Math.round((input.endsAt.getTime() - input.startsAt.getTime()) / 60_000)),
  timezone: input.timeZone ?? 'UTC',
  ...(input.series === undefined ? {} : { recurrence: zoomRecurrence(input.series) }),
});

/**
 * Zoom meetings through the REST API with a Server-to-Server OAuth token (account-level app:
 * meeting:write:admin, meeting:read:admin). `userId` is whose meetings these are: `me` for the
 * app's own user, or a user's id or e-mail for account-level scheduling.
 */
export function zoomProvider(
  tokens: TokenSource,
  options: { readonly baseUrl?: string; readonly runtime?: HttpRuntime; readonly userId?: string } = {},
): MeetingProvider {
  const http = providerHttp(
    'zoom',
    options.baseUrl ?? ZOOM_API_BASE_URL,
    tokens,
    options.runtime ?? defaultHttpRuntime,
  );
  const user = encodeURIComponent(options.userId ?? 'me');
  return {
    id: 'zoom',
    platform: 'zoom',
    async createMeeting(input) {
      const body = {
        ...zoomBody(input),
        ...(input.description === undefined ? {} : { agenda: input.description }),
        settings: { audio: 'both', join_before_host: false, waiting_room: true },
      };
      return toMeeting(await http.call(MeetingSchema, 'POST', `/v2/users/${user}/meetings`, { body }));
    },
    async getMeeting(externalId) {
      return toMeeting(await http.call(MeetingSchema, 'GET', `/v2/meetings/${encodeURIComponent(externalId)}`));
    },
    async updateMeeting(externalId, input) {
      await http.call(z.unknown(), 'PATCH', `/v2/meetings/${encodeURIComponent(externalId)}`, {
        body: zoomBody(input),
      });
      return null;
    },
    async cancelMeeting(externalId) {
      await gone(http.call(z.unknown(), 'DELETE', `/v2/meetings/${encodeURIComponent(externalId)}`));
    },
    // An occurrence's id is its start by the series in epoch milliseconds. Zoom keeps an
    // occurrence's start, duration and agenda apart, not its topic (an occurrence PATCH takes
    // agenda, start_time, duration and settings only): its own title goes in its agenda.
    async updateOccurrence(externalId, occurrence) {
      await http.call(z.unknown(), 'PATCH', `/v2/meetings/${encodeURIComponent(externalId)}`, {
        query: { occurrence_id: String(occurrence.originalStart.getTime()) },
        body: {
          start_time: zoomTime(occurrence.startsAt),
          duration: Math.max(1, Math.round((occurrence.endsAt.getTime() - occurrence.startsAt.getTime()) / 60_000)),
          agenda: occurrence.description,
        },
      });
    },
    async cancelOccurrence(externalId, occurrence) {
      await gone(
        http.call(z.unknown(), 'DELETE', `/v2/meetings/${encodeURIComponent(externalId)}`, {
          query: { occurrence_id: String(occurrence.originalStart.getTime()) },
        }),
      );
    },
    /** Zoom has no calendar: its upcoming scheduled meetings in the window stand in for one. */
    async listEvents(window) {
      const events: ProviderEvent[] = [];
      let pageToken: string | undefined = undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const result: z.infer<typeof MeetingListSchema> = await http.call(
          MeetingListSchema,
          'GET',
          `/v2/users/${user}/meetings`,
          {
            query: {
              type: 'upcoming',
              page_size: '300',
              ...(pageToken === undefined ? {} : { next_page_token: pageToken }),
            },
          },
        );
        for (const meeting of result.meetings) {
          const startsAt = meeting.start_time ? isoUtc(meeting.start_time) : null;
          const endsAt = endOf(startsAt, meeting.duration);
          if (startsAt === null || endsAt === null) continue;
          if (Date.parse(endsAt) <= window.start.getTime() || Date.parse(startsAt) >= window.end.getTime()) continue;
          events.push({
            provider: 'zoom',
            externalId: String(meeting.id),
            title: meeting.topic ?? '',
            startsAt,
            endsAt,
            allDay: false,
            location: null,
            bodyText: meeting.agenda || null,
            joinUrl: meeting.join_url ?? null,
            webLink: null,
          });
        }
        pageToken = result.next_page_token || undefined;
        if (pageToken === undefined) break;
      }
      return events;
    },
    async refreshCredentials() {
      await tokens.refresh();
    },
  };
}

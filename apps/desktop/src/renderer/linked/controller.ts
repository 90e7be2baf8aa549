import type {
  Calendar,
  EditOccurrenceRequest,
  EditOccurrenceResult,
  Occurrence,
  ConnectionScope,
  LinkedMeeting,
  LinkedMeetingRead,
  LinkedMeetingRecord,
  OAuthProviderId,
  ProviderId,
  ProviderList,
  TandemClient,
  ZoomConnectRequest,
} from '@tandem/shared';
import { BridgeError } from '../client.ts';

/** What the linked-meeting components ask of main; every call goes through the one bridge. */
export type LinkedController = {
  join(meeting: LinkedMeeting): Promise<{ readonly opened: 'native' | 'web'; readonly url: string }>;
  calendar(from: Date, to: Date): Promise<Calendar>;
  get(meetingId: string): Promise<LinkedMeetingRead>;
  /** Links pasted text to one of our meetings; listeners of `onChanged` reload what shows it. */
  attach(meetingId: string, text: string): Promise<LinkedMeetingRecord>;
  onChanged(listener: () => void): () => void;
  providers(): Promise<ProviderList>;
  /** Opens the provider's consent page in the system browser; the server completes the connection. */
  connect(provider: OAuthProviderId, scope: ConnectionScope): Promise<void>;
  connectZoom(request: ZoomConnectRequest): Promise<void>;
  revoke(provider: ProviderId, scope: ConnectionScope): Promise<void>;
  /** A new private ICS link to one's meetings (the previous one stops working); its path on the server. */
  createFeed(): Promise<string>;
  /** The private ICS link stops working. */
  revokeFeed(): Promise<void>;
  /** Makes the Teams, Zoom or Meet meeting for one of ours through the provider's API; `onChanged` listeners hear. */
  create(meetingId: string, provider: ProviderId): Promise<LinkedMeetingRecord>;
  /** A meeting's occurrences in a window (a series expanded, moved ones where they now are). */
  occurrences(meetingId: string, from: Date, to: Date): Promise<readonly Occurrence[]>;
  /** Moves, retitles or cancels an occurrence, it and those after it, or the whole series. */
  editOccurrence(meetingId: string, occurrenceId: string, edit: EditOccurrenceRequest): Promise<EditOccurrenceResult>;
};

export function createLinkedController(
  client: Pick<
    TandemClient,
    | 'linkedJoin'
    | 'linkedCalendar'
    | 'linkedGet'
    | 'linkedAttach'
    | 'providersList'
    | 'providersConsent'
    | 'providersConnectZoom'
    | 'providersRevoke'
    | 'calendarFeedCreate'
    | 'calendarFeedRevoke'
    | 'linkedCreate'
    | 'seriesOccurrences'
    | 'seriesEditOccurrence'
    | 'onCalendarChanged'
  >,
): LinkedController {
  const listeners = new Set<() => void>();
  // A connected calendar changed at its provider (a Graph notification reached the server).
  client.onCalendarChanged(() => {
    for (const listener of listeners) listener();
  });
  return {
    join: (meeting) => client.linkedJoin({ meeting }),
    calendar: (from, to) => client.linkedCalendar({ from: from.toISOString(), to: to.toISOString() }),
    get: (meetingId) => client.linkedGet({ meetingId }),
    async attach(meetingId, text) {
      const record = await client.linkedAttach({ meetingId, text });
      for (const listener of listeners) listener();
      return record;
    },
    providers: () => client.providersList({}),
    async connect(provider, scope) {
      // Main opens the consent page in the system browser itself (it checks the page).
      await client.providersConsent({ provider, scope });
    },
    async connectZoom(request) {
      await client.providersConnectZoom(request);
    },
    async revoke(provider, scope) {
      await client.providersRevoke({ provider, scope });
    },
    createFeed: async () => (await client.calendarFeedCreate({ params: {}, body: {} })).path,
    async revokeFeed() {
      try {
        await client.calendarFeedRevoke({ params: {}, body: {} });
      } catch (e) {
        // No link to turn off is what was asked for.
        if (!(e instanceof BridgeError && e.code === 'not_found')) throw e;
      }
    },
    async create(meetingId, provider) {
      const record = await client.linkedCreate({ params: { meetingId }, body: { provider } });
      for (const listener of listeners) listener();
      return record;
    },
    occurrences: async (meetingId, from, to) =>
      (
        await client.seriesOccurrences({
          params: { meetingId },
          body: {},
          query: { from: from.toISOString(), to: to.toISOString() },
        })
      ).occurrences,
    async editOccurrence(meetingId, occurrenceId, edit) {
      const result = await client.seriesEditOccurrence({ params: { meetingId, occurrenceId }, body: edit });
      for (const listener of listeners) listener();
      return result;
    },
    onChanged(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

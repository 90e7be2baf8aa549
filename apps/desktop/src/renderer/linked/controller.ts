import type {
  Calendar,
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
    | 'shellOpenExternal'
  >,
): LinkedController {
  const listeners = new Set<() => void>();
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
      const { url } = await client.providersConsent({ provider, scope });
      await client.shellOpenExternal({ url });
    },
    async connectZoom(request) {
      await client.providersConnectZoom(request);
    },
    async revoke(provider, scope) {
      await client.providersRevoke({ provider, scope });
    },
    onChanged(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

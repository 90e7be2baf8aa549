import {
  ACCOUNT_DEACTIVATED_NOTICE,
  PRODUCT,
  type CreateMeetingRequest,
  type DecisionStatus,
  type IpcRequest,
  type IpcResponse,
  type JoinOutcome,
  type Meeting,
  type MessageReaction,
  type NotificationTarget,
  type SessionInfo,
  type SignInMethod,
  type Settings,
  type TandemClient,
  type Unsubscribe,
  type UpdateMeetingRequest,
} from '@tandem/shared';
import { collectLogs } from '../diagnostics/collectLogs.ts';
import { translateNow } from '../i18n/current.ts';
import { errorText } from '../ui/errorText.ts';
import { useAppStore, type JoinChoices } from './appStore.ts';
import { lastOpenedFirst } from './conversations.ts';

/**
 * The renderer's side effects in one place: calls main through the bridge client and records
 * the answers in the app store; main's pushes land in the store the same way. Components read
 * the store and call these; they never talk to the bridge themselves.
 */
export type Controller = ReturnType<typeof createController>;

/** What the user hears when the conversation on screen leaves the cache. */
export const removedNotice = (reason: 'left' | 'removed', by: string | undefined): string =>
  reason === 'left'
    ? 'You left the conversation.'
    : `${by ?? 'Someone'} removed you from the conversation: it is no longer yours to read.`;

/**
 * `media`: the camera and microphone shown before the call (media/previewMedia.ts); what is
 * turned on there when the call starts (at once, or on admission from the lobby) is what the call
 * starts with.
 */
export function createController(client: TandemClient, media: { choices(): JoinChoices }) {
  const s = () => useAppStore.getState();

  async function loadMeetings(): Promise<void> {
    if (s().meetings.status !== 'ready') s().setMeetings({ status: 'loading' });
    try {
      s().setMeetings({ status: 'ready', data: await client.meetingsList() });
    } catch (e) {
      s().setMeetings({ status: 'error', message: errorText(e) });
    }
  }

  async function loadConversations(): Promise<void> {
    if (s().conversationsStatus.status !== 'ready') s().setConversationsStatus({ status: 'loading' });
    const conversations = await client.chatConversations().then(
      (answer) => answer.conversations,
      (e: unknown) => {
        s().setConversationsStatus({ status: 'error', message: errorText(e) });
        return null;
      },
    );
    if (conversations === null) return;
    s().setConversations(conversations);
    // The cache answers at once, so recent history shows before the server is even asked.
    await Promise.all(
      lastOpenedFirst(conversations)
        .slice(0, 5)
        .map((c) => loadMessages(c.id)),
    );
  }

  async function loadMessages(conversationId: string): Promise<void> {
    const { messages } = await client.chatList({ conversationId });
    s().receiveMessages(conversationId, messages);
  }

  /** Whichever way someone signed in: their app, and the meeting link that waited for them. */
  async function signedIn(info: SessionInfo): Promise<void> {
    s().setSession({ status: 'signedIn', info });
    const { invite } = s();
    s().setInvite(null);
    if (invite !== null) openJoinLink(invite.code);
    await takeDeepLink();
    await afterSignIn();
  }

  async function afterSignIn(): Promise<void> {
    await Promise.allSettled([loadConversations(), loadMeetings(), loadDecisions(), loadPeople()]);
  }

  /** The people the cache knows (it learns them at each connect): who can be mentioned. */
  async function loadPeople(): Promise<void> {
    s().setPeople((await client.chatPeople()).people);
  }

  async function loadDecisions(meetingId?: string): Promise<void> {
    const { decisions } = await client.decisionsList(meetingId === undefined ? {} : { meetingId });
    s().receiveDecisions(decisions);
  }

  function applyJoin(result: JoinOutcome): void {
    switch (result.status) {
      case 'joined':
        s().navigate({ name: 'call', call: result.call, choices: media.choices() });
        return;
      case 'waiting':
        s().navigate({ name: 'lobby', meeting: result.meeting });
        return;
      default: {
        const unreachable: never = result;
        throw new Error(`unknown join result ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** A `tandem://join/<code>` link: its pre-join screen, unless a call is on (that is not dropped for a link). */
  function openJoinLink(code: string): void {
    if (s().route.name === 'call') s().setAlert(`Leave this call to open the meeting link (code ${code}).`);
    else s().navigate({ name: 'prejoin', codeOrLink: code });
  }

  function refuseLink(link: string): void {
    s().setAlert(`That link cannot be opened: “${link}” is not a ${PRODUCT.productName} meeting link.`);
  }

  /** What main held for us: a link that launched the app, or one that arrived while signed out. */
  async function takeDeepLink(): Promise<void> {
    const { join, refused } = await client.deepLinkTake();
    if (refused !== null) refuseLink(refused.link);
    if (join === null) return;
    if (s().session.status === 'signedIn') openJoinLink(join.code);
    else s().setInvite(join);
  }

  /**
   * A clicked notification leads to what it announced, but never out of a call: the call stays on
   * screen, opening its chat panel when the news is about the meeting's own chat; the rest waits
   * until it ends.
   */
  function openNotification(target: NotificationTarget): void {
    const { route } = s();
    if (s().session.status !== 'signedIn') return;
    if (route.name === 'call') {
      if (target.kind === 'conversation' && target.conversationId === route.call.meeting.conversationId)
        s().requestCallPanel('chat');
      return;
    }
    switch (target.kind) {
      case 'conversation':
        s().navigate({ name: 'conversation', conversationId: target.conversationId, threadOf: target.threadOf });
        return;
      case 'meeting': {
        const meetings = s().meetings;
        const all = meetings.status === 'ready' ? [meetings.data.personalRoom, ...meetings.data.upcoming] : [];
        const meeting = all.find((m) => m?.id === target.meetingId);
        if (meeting != null) s().navigate({ name: 'prejoin', codeOrLink: meeting.joinCode, title: meeting.title });
        return;
      }
      case 'home':
        s().navigate({ name: 'home' });
        return;
      default: {
        const unreachable: never = target;
        throw new Error(`unknown notification target ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Where the user's attention is, as main last heard it. */
  let attention = { viewing: null as string | null, presenting: false };

  return {
    /** Subscribes to main's pushes and restores the session. Returns the unsubscribe. */
    start(): Unsubscribe {
      const subscriptions: Unsubscribe[] = [
        client.onConnectionChanged(({ status }) => {
          const wasOffline = s().connection !== 'online';
          s().setConnection(status);
          if (status === 'online' && wasOffline && s().session.status === 'signedIn') void loadMeetings();
        }),
        client.onChatMessages(({ conversationId, messages }) => s().receiveMessages(conversationId, messages)),
        client.onChatOthersTyping(({ conversationId, userId, name, typing }) =>
          s().heardTyping(conversationId, { userId, name, typing }, Date.now()),
        ),
        client.onConversationsChanged(({ conversations }) => s().receiveConversations(conversations)),
        client.onConversationsRemoved(({ conversationIds, reason, by }) => {
          const route = s().route;
          s().forgetConversations(conversationIds);
          // The conversation on screen went: back home, saying why.
          if (route.name === 'conversation' && conversationIds.includes(route.conversationId))
            s().navigate({ name: 'home', notice: removedNotice(reason, by?.name) });
        }),
        client.onChatReceiptsChanged(({ conversationId, receipts }) => s().setReceipts(conversationId, receipts)),
        client.onDecisionsChanged(({ decisions }) => s().receiveDecisions(decisions)),
        // The tray's Join by code and Help → Connection test (main brought the window forward); a
        // call on screen stays. Help → Collect logs saves the zip wherever one is.
        client.onShellCommand(({ command }) => {
          const route = s().route.name;
          const mayLeave = s().session.status === 'signedIn' && route !== 'call' && route !== 'lobby';
          if (command === 'joinByCode' && mayLeave) s().navigate({ name: 'home', focus: 'joinByCode' });
          if (command === 'connectionTest' && mayLeave) s().navigate({ name: 'connectionTest' });
          if (command === 'collectLogs')
            collectLogs(client).catch((e: unknown) =>
              s().setAlert(translateNow('settings.diagnostics.failed', { reason: errorText(e) })),
            );
        }),
        client.onMeetingsChanged(() => void loadMeetings()),
        client.onMeetingAdmission((admission) => {
          if (admission.status === 'admitted')
            s().navigate({ name: 'call', call: admission.call, choices: media.choices() });
          else s().navigate({ name: 'home', notice: `The host did not let you into ${admission.meeting.title}.` });
        }),
        client.onDeepLinkJoin(({ code }) => openJoinLink(code)),
        client.onDeepLinkRefused(({ link }) => refuseLink(link)),
        client.onAuthEnded(({ reason }) =>
          s().setSession({
            status: 'signedOut',
            reason: {
              signedOut: 'You were signed out.',
              expired: 'Your session expired. Sign in again.',
              deactivated: ACCOUNT_DEACTIVATED_NOTICE,
            }[reason],
          }),
        ),
        // A new role (or name) on the server: what the user may see follows, e.g. Settings → People.
        client.onAuthChanged((info) => {
          if (s().session.status === 'signedIn') s().setSession({ status: 'signedIn', info });
        }),
        client.onNotificationOpen(({ target }) => openNotification(target)),
      ];
      void (async () => {
        const [session, settings, connection, managed] = await Promise.allSettled([
          client.authSession(),
          client.settingsGet(),
          client.connectionStatus(),
          client.policyGet(),
        ]);
        if (settings.status === 'fulfilled') s().setSettings(settings.value);
        if (managed.status === 'fulfilled') s().setManaged(managed.value);
        if (connection.status === 'fulfilled') s().setConnection(connection.value.status);
        if (session.status === 'rejected') {
          s().setSession({
            status: 'signedOut',
            reason: `Could not reach the app's back end: ${errorText(session.reason)}`,
          });
          return;
        }
        const { session: info, notice } = session.value;
        s().setSession(
          info !== null
            ? { status: 'signedIn', info }
            : { status: 'signedOut', ...(notice === undefined ? {} : { reason: errorText(notice) }) },
        );
        // Listening for links now; main answers a join only once someone is signed in.
        await takeDeepLink();
        if (info !== null) await afterSignIn();
      })();
      return () => subscriptions.forEach((unsubscribe) => unsubscribe());
    },

    async signIn(request: IpcRequest<'auth:signIn'>): Promise<void> {
      await signedIn(await client.authSignIn(request));
    },

    /** Single sign-on: the identity provider opens in the system browser; resolves once signed in. */
    async signInWithSso(request: IpcRequest<'auth:signInWithSso'>): Promise<void> {
      await signedIn(await client.authSignInWithSso(request));
    },

    /** How this address signs in (by its domain); `password` when the server cannot say. */
    async signInMethod(request: IpcRequest<'auth:discover'>): Promise<SignInMethod> {
      return (await client.authDiscover(request).catch(() => ({ method: 'password' as const }))).method;
    },

    /** Someone is about to knock: what the session will need opens meanwhile (best effort). */
    warmConnection(): void {
      client.connectionWarm({}).catch(() => undefined);
    },

    /** No account: knock on the invited meeting by name; the lobby (or the call) follows. */
    async joinAsGuest(code: string, name: string, email: string): Promise<void> {
      const { session, outcome } = await client.authJoinAsGuest(email === '' ? { code, name } : { code, name, email });
      const settings = await client.settingsUpdate({ displayName: name });
      // One render from the name form to the lobby (or the call): never the signed-in home between.
      s().setInvite(null);
      s().setSession({ status: 'signedIn', info: session });
      s().setSettings(settings);
      applyJoin(outcome);
    },

    async signOut(): Promise<void> {
      await client.authSignOut();
      s().setSession({ status: 'signedOut' });
    },

    loadMeetings,

    async createMeeting(request: CreateMeetingRequest): Promise<Meeting> {
      const meeting = await client.meetingsCreate(request);
      await loadMeetings();
      return meeting;
    },

    async updateMeeting(meetingId: string, patch: UpdateMeetingRequest): Promise<void> {
      await client.meetingsUpdate({ meetingId, patch });
      await loadMeetings();
    },

    async cancelMeeting(meetingId: string): Promise<void> {
      await client.meetingsCancel({ meetingId });
      await loadMeetings();
    },

    /** `displayName`: what others see in this call and its lobby; remembered for the next pre-join. */
    async join(codeOrLink: string, displayName: string): Promise<void> {
      const name = displayName.trim();
      if (name !== '' && name !== s().settings.displayName)
        s().setSettings(await client.settingsUpdate({ displayName: name }));
      applyJoin(await client.meetingsJoin(name === '' ? { codeOrLink } : { codeOrLink, displayName: name }));
    },

    loadConversations,

    /** Opening reads it: main answers the conversation with nothing unread. */
    async openConversation(conversationId: string): Promise<void> {
      s().receiveConversations([await client.chatOpen({ conversationId })]);
      await loadMessages(conversationId);
    },

    /** Creates a channel (public, or private with its first members) and answers its id; the others hear of it live. */
    async createChannel(name: string, privately: { memberIds: readonly string[] } | null = null): Promise<string> {
      const channel = await client.chatCreateChannel(
        privately === null ? { name } : { name, private: true, memberIds: [...privately.memberIds] },
      );
      s().receiveConversations([channel]);
      return channel.id;
    },

    /** `threadOf`: a reply in that message's thread (main pushes the root's new count too). */
    async sendMessage(
      conversationId: string,
      body: string,
      threadOf?: string,
      files?: IpcRequest<'chat:send'>['files'],
      urgent = false,
    ): Promise<void> {
      const message = await client.chatSend({
        conversationId,
        body,
        ...(threadOf === undefined ? {} : { threadOf }),
        ...(files === undefined || files.length === 0 ? {} : { files }),
        ...(urgent ? { urgent } : {}),
      });
      s().receiveMessages(conversationId, [message]);
    },

    /** A thread's root and replies from the cache, into the conversation's messages (the panel filters them). */
    async loadThread(conversationId: string, rootId: string): Promise<void> {
      const { messages } = await client.chatThread({ conversationId, rootId });
      s().receiveMessages(conversationId, messages);
    },

    /** Gives (`add`) or takes back one's reaction with this emoji. */
    async reactToMessage(
      conversationId: string,
      messageId: string,
      emoji: MessageReaction,
      add: boolean,
    ): Promise<void> {
      const message = await client.chatReact({ conversationId, messageId, emoji, add });
      s().receiveMessages(conversationId, [message]);
    },

    loadPeople,

    /** A meeting by its join code: its pre-join screen, unless a call is on (an answered ask for an expert). */
    openJoinLink,

    /** Best effort: a lost typing signal lapses on the other side by itself. */
    sendTyping(conversationId: string, typing: boolean): void {
      void client.chatTyping({ conversationId, typing }).catch(() => undefined);
    },

    async editMessage(conversationId: string, messageId: string, body: string): Promise<void> {
      const message = await client.chatEdit({ conversationId, messageId, body });
      s().receiveMessages(conversationId, [message]);
    },

    async deleteMessage(conversationId: string, messageId: string): Promise<void> {
      const message = await client.chatDelete({ conversationId, messageId });
      s().receiveMessages(conversationId, [message]);
    },

    /**
     * Main pushes the message as pending, then as sent or failed again; its answer is not merged,
     * since it could arrive after a second failure and show that as pending.
     */
    async retryMessage(clientId: string): Promise<void> {
      await client.chatRetry({ clientId });
    },

    async discardMessage(conversationId: string, clientId: string): Promise<void> {
      await client.chatDiscard({ clientId });
      s().forgetMessage(conversationId, clientId);
    },

    loadDecisions,

    async createDecision(meetingId: string | null, title: string, outcome: string): Promise<void> {
      const decision = await client.decisionsCreate({ meetingId, title, outcome, status: 'agreed' });
      s().receiveDecisions([decision]);
    },

    async setDecisionStatus(clientId: string, status: DecisionStatus): Promise<void> {
      const decision = await client.decisionsUpdate({ clientId, patch: { status } });
      s().receiveDecisions([decision]);
    },

    /** The cache and, when it can be asked, the server: messages, files, channels, people. */
    search(request: IpcRequest<'search:everything'>): Promise<IpcResponse<'search:everything'>> {
      return client.searchEverything(request);
    },

    /** Shows the change at once (a checkbox must not bounce back while main saves), then main's answer. */
    async updateSettings(patch: Partial<Settings>): Promise<void> {
      const before = s().settings;
      s().setSettings({ ...before, ...patch });
      try {
        s().setSettings(await client.settingsUpdate(patch));
      } catch (e) {
        s().setSettings(before);
        throw e;
      }
    },

    async screenSources() {
      return (await client.screenSources({ thumbnailWidth: 320 })).sources;
    },

    async openExternal(url: string): Promise<void> {
      await client.shellOpenExternal({ url });
    },

    /** Tells main what is on screen, so its notifications stay away from it (only changes are sent). */
    reportAttention(patch: Partial<typeof attention>): void {
      const next = { ...attention, ...patch };
      if (next.viewing === attention.viewing && next.presenting === attention.presenting) return;
      attention = next;
      // Best effort: a lost report costs at most one notification too many.
      void client.uiAttention(next).catch(() => undefined);
    },
  };
}

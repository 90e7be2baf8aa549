import type {
  CallDetails,
  ChatMessageView,
  ConnectionStatus,
  ConversationSummary,
  DecisionView,
  JoinLanding,
  ManagedSettings,
  Meeting,
  MentionPerson,
  ReadReceiptView,
  SessionInfo,
  Settings,
} from '@tandem/shared';
import { DEFAULT_SETTINGS } from '@tandem/shared';
import { create, type StateCreator } from 'zustand';
import { heardTyping, type HeardTyping, type Typists } from '../chat/typing.ts';
import { mergeConversations } from './conversations.ts';
import { mergeDecisions, mergeMessages } from './merge.ts';

/** Async data as the UI shows it: each state has its own look (spinner, content, message). */
export type Load<T> =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly data: T }
  | { readonly status: 'error'; readonly message: string };

export type SessionState =
  | { readonly status: 'restoring' }
  | { readonly status: 'signedOut'; readonly reason?: string }
  | { readonly status: 'signedIn'; readonly info: SessionInfo };

/** What the user chose on the pre-join screen; the call starts with it. */
export type JoinChoices = {
  readonly audioEnabled: boolean;
  readonly videoEnabled: boolean;
};

export type Route =
  /** `notice`: why we came back home when it was not the user's choice (a host said no). */
  /** `focus`: the field to put the keyboard in (the tray's Join by code). */
  | { readonly name: 'home'; readonly notice?: string; readonly focus?: 'joinByCode' }
  | { readonly name: 'prejoin'; readonly codeOrLink: string; readonly title?: string }
  /** `meeting`: as the knock's answer gave it (what the lobby shows of it: webinar, recorded). */
  | { readonly name: 'lobby'; readonly meeting: Meeting }
  | { readonly name: 'call'; readonly call: CallDetails; readonly choices: JoinChoices }
  /** `threadOf`: the root whose thread opens beside the conversation. */
  | { readonly name: 'conversation'; readonly conversationId: string; readonly threadOf?: string | undefined }
  | { readonly name: 'search' }
  | { readonly name: 'settings' }
  /** Help → Connection test (diagnostics/). */
  | { readonly name: 'connectionTest' }
  /** Decisions across meetings (issue 14). */
  | { readonly name: 'decisions' }
  /** A meeting's transcript (issue 14); `segmentId`: the moment to open it at (a search result). */
  | { readonly name: 'transcript'; readonly meetingId: string; readonly segmentId?: string | undefined }
  /** Pages of business web apps (issue 18): who is on which page, delegations, threads on fields. */
  | { readonly name: 'pages' };

/** A meeting to join by its code; `landing`: what its join link's page showed of it. */
export type Invite = { readonly code: string; readonly landing?: JoinLanding | undefined };

type SessionSlice = {
  readonly session: SessionState;
  /** The server of the last session, so signing in again starts from it. */
  readonly lastServerUrl: string | undefined;
  setSession(session: SessionState): void;
  /** A meeting link opened while signed out (the browser's `/j/<code>`): offered to join as a guest. */
  readonly invite: Invite | null;
  setInvite(invite: Invite | null): void;
};

type RouteSlice = {
  readonly route: Route;
  navigate(route: Route): void;
  /**
   * A side panel the call on screen is asked to open (a clicked notification about its chat);
   * the call view opens it and clears the request.
   */
  readonly callPanelRequest: 'chat' | null;
  requestCallPanel(panel: 'chat' | null): void;
};

type AlertSlice = {
  /** What the user must hear wherever they are (a link the app could not open), until they dismiss it. */
  readonly alert: string | undefined;
  setAlert(alert: string | undefined): void;
};

type ConnectionSlice = {
  readonly connection: ConnectionStatus;
  setConnection(status: ConnectionStatus): void;
};

type MeetingsSlice = {
  readonly meetings: Load<{
    readonly upcoming: readonly Meeting[];
    readonly personalRoom: Meeting | null;
    /** The upcoming meetings' organisers' names, by user id, as far as the cache knows them. */
    readonly organisers: Readonly<Record<string, string>>;
  }>;
  setMeetings(meetings: MeetingsSlice['meetings']): void;
};

type ChatSlice = {
  /** Every conversation the cache knows, in no order: lists sort what they show. */
  readonly conversations: readonly ConversationSummary[];
  /** Whether `conversations` was read from the cache yet, or why it could not be. */
  readonly conversationsStatus: Exclude<Load<unknown>, { status: 'ready' }> | { readonly status: 'ready' };
  /** Messages by conversation id; absent until the conversation was first loaded. */
  readonly messages: Readonly<Record<string, readonly ChatMessageView[]>>;
  /** The cache's whole list, loaded. */
  setConversations(conversations: readonly ConversationSummary[]): void;
  setConversationsStatus(status: ChatSlice['conversationsStatus']): void;
  /** Some conversations, added or changed (main's push, an answer): merged by id. */
  receiveConversations(conversations: readonly ConversationSummary[]): void;
  receiveMessages(conversationId: string, messages: readonly ChatMessageView[]): void;
  /** A message that left the cache (a failed one, discarded). */
  forgetMessage(conversationId: string, clientId: string): void;
  /** The organisation's people as the cache knows them: who can be mentioned. */
  readonly people: readonly MentionPerson[];
  setPeople(people: readonly MentionPerson[]): void;
  /** Who else is writing, by conversation id; each lapses on its own (see screens/typing.ts). */
  readonly typing: Readonly<Record<string, Typists>>;
  heardTyping(conversationId: string, signal: HeardTyping, now: number): void;
  /** Where the other members of direct chats and small groups have read up to ("Seen by"). */
  readonly receipts: Readonly<Record<string, readonly ReadReceiptView[]>>;
  setReceipts(conversationId: string, receipts: readonly ReadReceiptView[]): void;
  /** Conversations that left the cache (left, removed from): gone with their messages. */
  forgetConversations(conversationIds: readonly string[]): void;
  /** A conversation the call's chat panel shows instead of the meeting's own (a direct chat started there). */
  readonly callChat: string | null;
  showInCallChat(conversationId: string | null): void;
};

type DecisionsSlice = {
  readonly decisions: readonly DecisionView[];
  receiveDecisions(decisions: readonly DecisionView[]): void;
};

type SettingsSlice = {
  readonly settings: Settings;
  setSettings(settings: Settings): void;
  /** What the organisation's policy sets on this machine; its keys show as locked. */
  readonly managed: ManagedSettings;
  setManaged(managed: ManagedSettings): void;
};

export type AppState = SessionSlice &
  RouteSlice &
  AlertSlice &
  ConnectionSlice &
  MeetingsSlice &
  ChatSlice &
  DecisionsSlice &
  SettingsSlice;

type Slice<T> = StateCreator<AppState, [], [], T>;

const sessionSlice: Slice<SessionSlice> = (set) => ({
  session: { status: 'restoring' },
  lastServerUrl: undefined,
  invite: null,
  setInvite: (invite) => set({ invite }),
  // Signing out forgets what belonged to the account; settings are the machine's and stay.
  setSession: (session) =>
    set((s) => ({
      session,
      lastServerUrl: s.session.status === 'signedIn' ? s.session.info.serverUrl : s.lastServerUrl,
      ...(session.status === 'signedIn'
        ? {}
        : {
            route: { name: 'home' },
            conversations: [],
            conversationsStatus: { status: 'idle' },
            messages: {},
            people: [],
            typing: {},
            receipts: {},
            callChat: null,
            callPanelRequest: null,
            decisions: [],
            meetings: { status: 'idle' },
          }),
    })),
});

const routeSlice: Slice<RouteSlice> = (set) => ({
  route: { name: 'home' },
  navigate: (route) => set({ route }),
  callPanelRequest: null,
  requestCallPanel: (callPanelRequest) => set({ callPanelRequest }),
});

const alertSlice: Slice<AlertSlice> = (set) => ({
  alert: undefined,
  setAlert: (alert) => set({ alert }),
});

const connectionSlice: Slice<ConnectionSlice> = (set) => ({
  connection: 'reconnecting',
  setConnection: (connection) => set({ connection }),
});

const meetingsSlice: Slice<MeetingsSlice> = (set) => ({
  meetings: { status: 'idle' },
  setMeetings: (meetings) => set({ meetings }),
});

const chatSlice: Slice<ChatSlice> = (set) => ({
  conversations: [],
  conversationsStatus: { status: 'idle' },
  messages: {},
  setConversations: (conversations) => set({ conversations, conversationsStatus: { status: 'ready' } }),
  setConversationsStatus: (conversationsStatus) => set({ conversationsStatus }),
  receiveConversations: (update) => set((s) => ({ conversations: mergeConversations(s.conversations, update) })),
  receiveMessages: (conversationId, update) =>
    set((s) => ({
      messages: { ...s.messages, [conversationId]: mergeMessages(s.messages[conversationId] ?? [], update) },
    })),
  forgetMessage: (conversationId, clientId) =>
    set((s) => {
      const held = s.messages[conversationId];
      if (held === undefined) return {};
      return { messages: { ...s.messages, [conversationId]: held.filter((m) => m.clientId !== clientId) } };
    }),
  people: [],
  setPeople: (people) => set({ people }),
  typing: {},
  heardTyping: (conversationId, signal, now) =>
    set((s) => ({
      typing: { ...s.typing, [conversationId]: heardTyping(s.typing[conversationId] ?? {}, signal, now) },
    })),
  receipts: {},
  setReceipts: (conversationId, receipts) => set((s) => ({ receipts: { ...s.receipts, [conversationId]: receipts } })),
  forgetConversations: (ids) =>
    set((s) => {
      const gone = new Set(ids);
      const keep = <T>(record: Readonly<Record<string, T>>) =>
        Object.fromEntries(Object.entries(record).filter(([id]) => !gone.has(id)));
      return {
        conversations: s.conversations.filter((c) => !gone.has(c.id)),
        messages: keep(s.messages),
        receipts: keep(s.receipts),
        typing: keep(s.typing),
        callChat: s.callChat !== null && gone.has(s.callChat) ? null : s.callChat,
      };
    }),
  callChat: null,
  showInCallChat: (callChat) => set({ callChat }),
});

const decisionsSlice: Slice<DecisionsSlice> = (set) => ({
  decisions: [],
  receiveDecisions: (update) => set((s) => ({ decisions: mergeDecisions(s.decisions, update) })),
});

const settingsSlice: Slice<SettingsSlice> = (set) => ({
  settings: DEFAULT_SETTINGS,
  setSettings: (settings) => set({ settings }),
  managed: { values: {}, locked: [] },
  setManaged: (managed) => set({ managed }),
});

/** The app's one store. Call state is not here: it lives with the call (see call/callStore.ts). */
export const useAppStore = create<AppState>()((...a) => ({
  ...sessionSlice(...a),
  ...routeSlice(...a),
  ...alertSlice(...a),
  ...connectionSlice(...a),
  ...meetingsSlice(...a),
  ...chatSlice(...a),
  ...decisionsSlice(...a),
  ...settingsSlice(...a),
}));

import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { PushToTalkKeySchema } from './pushToTalkKey.ts';
import { ConversationSchema, MemberRoleSchema, MessageReactionSchema } from '../api/chat.ts';
import { ErrorCodeSchema } from '../errors.ts';
import { ChatFileRefSchema } from '../api/files.ts';
import { LanguageSchema, NotificationModeSchema } from '../policy.ts';
import { DecisionSchema, DecisionStatusSchema } from '../api/decisions.ts';
import { OrganisationSchema, UserSchema } from '../api/identity.ts';
import { LivekitConnectionSchema, MeetingSchema } from '../api/meetings.ts';
import { TranscriptSegmentSchema } from '../api/transcripts.ts';

/**
 * What the renderer sees. These are views of the desktop's cache, not the server's records:
 * they carry local state (a message still in the outbox, a decision not yet acknowledged) that
 * the server never sees. Main maps server records into them.
 */

const Id = lazySchema(() => z.string().min(1).max(200));
const IsoTime = lazySchema(() => z.iso.datetime({ offset: true }));

export const SessionInfoSchema = lazySchema(() =>
  z.object({
    user: UserSchema,
    organisation: OrganisationSchema,
    serverUrl: z.url(),
  }),
);
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

/** Someone as a conversation shows them: id and name (the id when the cache knows no name). */
export const PersonRefSchema = lazySchema(() => z.object({ id: Id, name: z.string() }));
export type PersonRef = z.infer<typeof PersonRefSchema>;

export const ConversationViewSchema = lazySchema(() =>
  z.object({
    id: Id,
    kind: ConversationSchema.shape.kind,
    /** '' for a direct chat and an unnamed group: show `conversationTitle` instead. */
    name: z.string(),
    meetingId: Id.nullable(),
    /** Highest server sequence held in the cache: the sync position. */
    syncedSeq: z.number().int().min(0),
    lastOpenedAt: IsoTime.nullable(),
    /** Members only: a direct chat, a group, a private channel. */
    private: z.boolean(),
    /** Archived: read-only, listed apart. */
    archivedAt: IsoTime.nullable(),
    /** A private conversation's members in the server's order; null for the others. */
    members: z.array(PersonRefSchema).nullable(),
    /** The user's own role: owner or member of a private conversation, owner (creator) of a public channel. */
    role: MemberRoleSchema.nullable(),
    /** A public channel the user left: not followed until joined again. */
    left: z.boolean(),
  }),
);
export type ConversationView = z.infer<typeof ConversationViewSchema>;

/**
 * What to call a conversation: its name; for a direct chat the other person; for an unnamed
 * group its other members, listed in `locale`'s words ("Grace, Linus and Katherine", "Grace,
 * Linus und Katherine"). '' when there is nobody else to name: the caller says "Chat" in its
 * language. One rule for lists, headers and notifications.
 */
export function conversationTitle(
  c: Pick<ConversationView, 'kind' | 'name' | 'members'>,
  selfId: string | null,
  locale = 'en',
): string {
  if (c.name !== '' || c.members === null) return c.name;
  const others = c.members.filter((m) => m.id !== selfId).map((m) => m.name);
  return new Intl.ListFormat(locale, { type: 'conjunction', style: 'long' }).format(others);
}

/** `pending`: in the outbox, not yet acknowledged; `sent`: the server gave it a seq. */
export const DeliveryStatusSchema = lazySchema(() => z.enum(['pending', 'sent']));
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

/**
 * A message's delivery adds `failed`: the server refused it for good (a validation error, chat
 * turned off, …), so the outbox stopped sending it. It stays in the conversation, with
 * `failure` saying why, until its author retries or discards it.
 */
export const MessageStatusSchema = lazySchema(() => z.enum([...DeliveryStatusSchema.options, 'failed']));
export type MessageStatus = z.infer<typeof MessageStatusSchema>;

/** Why the server refused a message: its error code and message, as it answered them. */
export const SendFailureSchema = lazySchema(() => z.object({ code: ErrorCodeSchema, message: z.string() }));
export type SendFailure = z.infer<typeof SendFailureSchema>;

export const ChatMessageViewSchema = lazySchema(() =>
  z.object({
    conversationId: Id,
    /** Client-generated id; the server dedupes on it, so it is stable from first write to sync. */
    clientId: Id,
    /** Server sequence within the conversation; null while pending. */
    seq: z.number().int().min(1).nullable(),
    authorId: Id,
    authorName: z.string(),
    body: z.string(),
    sentAt: IsoTime,
    editedAt: IsoTime.nullable(),
    /** Deleted on the server: the body is gone (empty), the message shows as deleted. */
    deleted: z.boolean(),
    status: MessageStatusSchema,
    /** Set exactly when `status` is `failed`. */
    failure: SendFailureSchema.nullable(),
    /**
     * The seq of the newest event folded into this message (its own, an edit, a delete, a reaction,
     * a reply in its thread); 0 while it is not sent. Of two copies, the lower version is older.
     */
    version: z.number().int().min(0),
    /** The root message this replies to in its thread; null for a top-level message. */
    threadOf: Id.nullable(),
    /** Replies in this message's thread the cache holds (deleted ones excluded); 0 for a reply. */
    replyCount: z.number().int().min(0),
    /** When the newest of those replies was sent; null without replies. */
    lastReplyAt: IsoTime.nullable(),
    /** Reactions by emoji, ordered by the oldest reaction standing; who gave each (id, name), in order. */
    reactions: z.array(
      z.object({
        emoji: MessageReactionSchema,
        users: z.array(z.object({ id: Id, name: z.string() })),
      }),
    ),
    /** Files attached to it, in the order they were attached. */
    files: z.array(ChatFileRefSchema),
    /** Marked urgent by its author: it reaches people through do not disturb. */
    urgent: z.boolean(),
  }),
);
export type ChatMessageView = z.infer<typeof ChatMessageViewSchema>;

/**
 * A conversation as lists show it: its view with what the cache knows of its activity. Unread
 * counts come from the cache alone, so they show offline too.
 */
export const ConversationSummarySchema = lazySchema(() =>
  ConversationViewSchema.extend({
    /** The server's creation time; null while the cache knows the conversation only from its events. */
    createdAt: IsoTime.nullable(),
    /**
     * The read position: opening the conversation, or seeing its newest message, moves it to
     * `syncedSeq`; it never moves back.
     */
    readSeq: z.number().int().min(0),
    /** Messages by others, not deleted, with a seq above `readSeq`. */
    unread: z.number().int().min(0),
    /** Of those, the ones that mention the user (`mentions` in packages/shared). */
    mentions: z.number().int().min(0),
    /** The newest message (a pending one of ours first), for a preview; null when there is none. */
    lastMessage: ChatMessageViewSchema.nullable(),
  }),
);
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

export const DecisionViewSchema = lazySchema(() =>
  z.object({
    /** Client-generated id, stable before and after the server knows the decision. */
    clientId: Id,
    /** The server's id; null while the creation is still in the outbox. */
    id: Id.nullable(),
    meetingId: Id.nullable(),
    message: DecisionSchema.shape.message,
    /** Where in its meeting it was said, when confirmed from meeting notes (records cached before: null). */
    moment: DecisionSchema.shape.moment,
    title: z.string(),
    detail: z.string(),
    outcome: z.string(),
    ownerId: Id.nullable(),
    dueDate: z.iso.date().nullable(),
    status: DecisionStatusSchema,
    /** The server's version; 0 until the server has it. */
    version: z.number().int().min(0),
    updatedAt: IsoTime,
    /** `pending` while a creation or change of it waits in the outbox. */
    deliveryStatus: DeliveryStatusSchema,
  }),
);
export type DecisionView = z.infer<typeof DecisionViewSchema>;

export const ConnectionStatusSchema = lazySchema(() => z.enum(['online', 'offline', 'reconnecting']));
export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>;

/** The pictures bundled with the app (apps/desktop/src/renderer/media/assets). */
export const BUNDLED_BACKGROUNDS = ['dusk', 'sea', 'studio', 'dots'] as const;
/** One's own picture, downscaled and stored with the settings as a data URL. */
export const OWN_BACKGROUND_MAX_LENGTH = 2_000_000;

/** What replaces the camera's background: nothing, a blur, a bundled picture, or one's own. */
export const BackgroundSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('blur'), strength: z.enum(['light', 'strong']) }),
    z.object({ kind: z.literal('image'), image: z.enum(BUNDLED_BACKGROUNDS) }),
    /** `ownBackground` of the settings. */
    z.object({ kind: z.literal('own') }),
  ]),
);
export type Background = z.infer<typeof BackgroundSchema>;

/** A key combination as Electron's accelerators write it: modifiers and one key, joined by `+`. */
export const AcceleratorSchema = lazySchema(() =>
  z
    .string()
    .max(60)
    .regex(
      /^((CommandOrControl|CmdOrCtrl|Command|Cmd|Control|Ctrl|Alt|Option|AltGr|Shift|Super|Meta)\+)+([A-Z0-9]|F([1-9]|1[0-9]|2[0-4])|Space|Tab|Backspace|Delete|Insert|Home|End|PageUp|PageDown|Up|Down|Left|Right|Escape|Plus|[,.;'/\\`=\-[\]])$/,
    ),
);
export type Accelerator = z.infer<typeof AcceleratorSchema>;
/** What a global shortcut does in the current call. */
export const SHORTCUT_ACTIONS = ['toggleMute', 'toggleCamera'] as const;
export type ShortcutAction = (typeof SHORTCUT_ACTIONS)[number];

export const SettingsSchema = lazySchema(() =>
  z.object({
    /** Opt-in 2160p capture where the camera supports it; 1080p otherwise. */
    video2160p: z.boolean(),
    cameraId: z.string().nullable(),
    microphoneId: z.string().nullable(),
    speakerId: z.string().nullable(),
    displayName: z.string().max(100).nullable(),
    /** Desktop notifications for new messages (and, for hosts, people waiting in the lobby). */
    notifications: NotificationModeSchema,
    /** false: notifications say who wrote, never what. */
    notificationPreviews: z.boolean(),
    /** RNNoise on the microphone (off for music); IT's `noiseSuppression` policy can fix it. */
    noiseSuppression: z.boolean(),
    background: BackgroundSchema,
    /** One's own background picture, kept while another background is chosen. */
    ownBackground: z
      .string()
      .max(OWN_BACKGROUND_MAX_LENGTH)
      .regex(/^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/=]+$/)
      .nullable(),
    /** Lifts dark camera frames. */
    lowLight: z.boolean(),
    /** The renderer's language; `system` follows the OS's preferred languages. IT's `language` policy can fix it. */
    language: LanguageSchema,
    /** Closing the window keeps the app in the tray (Teams, Slack); IT's `closeToTray` policy can fix it. */
    closeToTray: z.boolean(),
    /** Start at login, minimised to the tray; IT's `startAtLogin` policy can fix it. */
    startAtLogin: z.boolean(),
    /** Global shortcuts (work while another app has the focus); IT's `globalShortcuts: false` turns them off. */
    globalShortcuts: z.boolean(),
    /**
     * Push to talk: in a call, holding its key unmutes a muted microphone until it is let go. Only
     * while the app's window has the focus (the OS reports no key release to global shortcuts).
     * IT's `globalShortcuts: false` turns it off with the shortcuts.
     */
    pushToTalk: z.boolean(),
    /** The key push to talk listens for (`KeyboardEvent.code`, Space by default): `pushToTalkKeyProblem` says which may not. */
    pushToTalkKey: PushToTalkKeySchema,
    /** Each shortcut's Electron accelerator (`CommandOrControl+Shift+M`), or null for none. */
    shortcuts: z.object({ toggleMute: AcceleratorSchema.nullable(), toggleCamera: AcceleratorSchema.nullable() }),
  }),
);
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  video2160p: false,
  cameraId: null,
  microphoneId: null,
  speakerId: null,
  displayName: null,
  notifications: 'all',
  notificationPreviews: true,
  noiseSuppression: true,
  background: { kind: 'none' },
  ownBackground: null,
  lowLight: false,
  language: 'system',
  closeToTray: true,
  startAtLogin: false,
  globalShortcuts: true,
  pushToTalk: false,
  pushToTalkKey: 'Space',
  // As Teams has them.
  shortcuts: { toggleMute: 'CommandOrControl+Shift+M', toggleCamera: 'CommandOrControl+Shift+O' },
};

export const ScreenSourceSchema = lazySchema(() =>
  z.object({
    /** desktopCapturer's id, passed back as the chosen source. */
    id: z.string().min(1),
    name: z.string(),
    kind: z.enum(['screen', 'window']),
    /** PNG data URL (the CSP admits `data:` images only). */
    thumbnailDataUrl: z.string(),
    appIconDataUrl: z.string().nullable(),
  }),
);
export type ScreenSource = z.infer<typeof ScreenSourceSchema>;

/** What the renderer needs to connect to LiveKit; nothing more (no secrets). */
export const CallDetailsSchema = lazySchema(() =>
  z.object({
    /** `livekit.url` and `livekit.token` go to livekit-client's `room.connect`. */
    livekit: LivekitConnectionSchema,
    meeting: MeetingSchema,
    settings: SettingsSchema,
  }),
);
export type CallDetails = z.infer<typeof CallDetailsSchema>;

export const JoinOutcomeSchema = lazySchema(() =>
  z.discriminatedUnion('status', [
    z.object({ status: z.literal('joined'), call: CallDetailsSchema }),
    /** The lobby holds the token back; `meeting:admission` follows when a host decides. */
    z.object({ status: z.literal('waiting'), meeting: MeetingSchema }),
  ]),
);
export type JoinOutcome = z.infer<typeof JoinOutcomeSchema>;

/** Marks around each match in a search snippet, so the renderer highlights without parsing HTML. */
export const SNIPPET_MARK = { start: '\u0002', end: '\u0003' } as const;

export const SearchHitSchema = lazySchema(() =>
  z.object({
    message: ChatMessageViewSchema,
    /** An excerpt of the body with matches between SNIPPET_MARK.start and SNIPPET_MARK.end. */
    snippet: z.string(),
  }),
);
export type SearchHit = z.infer<typeof SearchHitSchema>;

/** A transcript segment found by search (the cache's, offline too, or the server's), with its meeting's title. */
export const TranscriptSearchHitSchema = lazySchema(() =>
  z.object({
    meetingTitle: z.string(),
    segment: TranscriptSegmentSchema,
    /** An excerpt of the text with matches between SNIPPET_MARK.start and SNIPPET_MARK.end. */
    snippet: z.string(),
  }),
);
export type TranscriptSearchHit = z.infer<typeof TranscriptSearchHitSchema>;

/** A meeting's transcript as the app shows it: from the server, or this device's copy when it cannot be asked. */
export const TranscriptViewSchema = lazySchema(() =>
  z.object({
    meetingTitle: z.string(),
    segments: z.array(TranscriptSegmentSchema),
    source: z.enum(['server', 'device']),
  }),
);
export type TranscriptView = z.infer<typeof TranscriptViewSchema>;

/**
 * Where someone has read up to in a direct chat or small group, as last heard: the renderer
 * shows "Seen by" under the newest message those at or past it.
 */
export const ReadReceiptViewSchema = lazySchema(() =>
  z.object({ userId: Id, name: z.string(), seq: z.number().int().min(0) }),
);
export type ReadReceiptView = z.infer<typeof ReadReceiptViewSchema>;

/** A private conversation's member as the members panel shows them. */
export const MemberViewSchema = lazySchema(() =>
  z.object({
    userId: Id,
    name: z.string(),
    role: MemberRoleSchema,
    joinedAt: IsoTime,
  }),
);
export type MemberView = z.infer<typeof MemberViewSchema>;

import {
  joinCodeFrom,
  lobbyWait,
  type AwaitedLobbies,
  type CallDetails,
  type CreateMeetingRequest,
  type JoinOutcome,
  type JoinRequest,
  type JoinResult,
  type Meeting,
  type ServerMessage,
  type UpdateMeetingRequest,
} from '@tandem/shared';
import type { DbClient } from '../db/client.ts';
import { ServiceError, inBackground } from './errors.ts';
import type { Emit } from './events.ts';
import type { Session } from './session.ts';
import type { SettingsService } from './settings.ts';
import type { SyncEngine } from './sync.ts';

export type MeetingsService = {
  list(): Promise<{ upcoming: Meeting[]; personalRoom: Meeting | null; organisers: Record<string, string> }>;
  create(request: CreateMeetingRequest): Promise<Meeting>;
  update(meetingId: string, patch: UpdateMeetingRequest): Promise<Meeting>;
  cancel(meetingId: string): Promise<Meeting>;
  join(codeOrLink: string, options?: JoinOptions): Promise<JoinOutcome>;
  /** Stops waiting in the meeting's lobby, here and on the server (packages/shared `lobbyWait.leave`). */
  leaveLobby(meetingId: string): Promise<void>;
  /** The session ended: no lobby is waited in any more. */
  forgetWaits(): void;
  /**
   * The lobbies we wait in, for the socket's `auth` (`awaiting`): the server joins us there the
   * moment we are admitted and says so on the socket (packages/shared `lobbyWait`).
   */
  awaiting(): AwaitedLobbies | undefined;
  /** The socket is authenticated: the lobbies it did not name are asked about again. */
  ready(): void;
  /** The lobby's messages on the socket (`lobby.entry`, `lobby.joined`, `lobby.refused`): ours complete the waiting join. */
  onServerMessage(message: ServerMessage): void;
};

/** How to join: a view-only seat; the name others see (the pre-join choice; the account's when absent). */
export type JoinOptions = { readonly viewOnly?: boolean | undefined; readonly displayName?: string | undefined };

export type MeetingsDeps = {
  readonly db: DbClient;
  readonly session: Session;
  readonly sync: SyncEngine;
  readonly settings: SettingsService;
  readonly emit: Emit;
  readonly onError?: (error: unknown) => void;
};

export function createMeetings(deps: MeetingsDeps): MeetingsService {
  const { db, session } = deps;
  async function outcome(result: JoinResult): Promise<JoinOutcome> {
    await db.write('upsertMeeting', result.meeting);
    // The meeting's chat is cached from the moment one joins; the change stream brings what follows.
    await db.write('upsertConversations', {
      conversations: [
        {
          id: result.meeting.conversationId,
          organisationId: result.meeting.organisationId,
          kind: 'meeting',
          meetingId: result.meeting.id,
          name: result.meeting.title,
          private: false,
          archivedAt: null,
          memberIds: null,
          createdBy: null,
          latestSeq: 0,
          createdAt: result.meeting.createdAt,
        },
      ],
      list: false,
    });
    if (result.status === 'waiting') return { status: 'waiting', meeting: result.meeting };
    inBackground(deps.sync.syncConversation(result.meeting.conversationId), deps.onError);
    const call: CallDetails = { livekit: result.livekit, meeting: result.meeting, settings: await deps.settings.get() };
    return { status: 'joined', call };
  }

  const lobby = lobbyWait({
    join: (meetingId, body) => session.call('joinMeeting', { params: { meetingId }, body }),
    async admitted(joined) {
      const answer = await outcome(joined);
      if (answer.status === 'joined') deps.emit('meeting:admission', { status: 'admitted', call: answer.call });
    },
    refused: (meeting) => deps.emit('meeting:admission', { status: 'denied', meeting }),
    onError: (error) => deps.onError?.(error),
  });

  async function joinMeeting(meetingId: string, body: JoinRequest): Promise<JoinOutcome> {
    const result = await session.call('joinMeeting', { params: { meetingId }, body });
    lobby.answered(result, body);
    return outcome(result);
  }

  /** The server's answer about one meeting, into the cache and the renderer's list. */
  async function keep(meeting: Meeting): Promise<Meeting> {
    await db.write('upsertMeeting', meeting);
    deps.emit('meetings:changed', {});
    return meeting;
  }

  return {
    async list() {
      inBackground(deps.sync.refreshMeetings(), deps.onError);
      const [meetings, people] = await Promise.all([db.read('meetings', null), db.read('people', null)]);
      const me = session.current()?.user.id;
      const personalRoom = meetings.find((m) => m.personal && m.ownerId === me) ?? null;
      // The cache may also hold meetings joined by code, or one just uninvited from: Home shows
      // only what is the user's own or what they are invited to.
      const upcoming = meetings.filter(
        (m) =>
          !m.personal &&
          (m.status === 'scheduled' || m.status === 'live') &&
          me !== undefined &&
          (m.ownerId === me || m.invitees.includes(me)),
      );
      const owners = new Set(upcoming.map((m) => m.ownerId));
      const organisers = Object.fromEntries(people.filter((p) => owners.has(p.id)).map((p) => [p.id, p.name]));
      return { upcoming, personalRoom, organisers };
    },

    create: async (request) => keep(await session.call('createMeeting', { body: request })),
    update: async (meetingId, patch) =>
      keep(await session.call('updateMeeting', { params: { meetingId }, body: patch })),
    cancel: async (meetingId) => keep(await session.call('cancelMeeting', { params: { meetingId } })),

    async join(codeOrLink, { viewOnly, displayName } = {}) {
      const code = joinCodeFrom(codeOrLink)?.toLowerCase();
      if (code === undefined) {
        throw new ServiceError('bad_request', 'not a join code or link', {
          issues: [{ path: 'codeOrLink', message: 'expected a join code or a tandem://join/… link' }],
        });
      }
      const meeting = await session.call('resolveJoinCode', { params: { code } });
      return joinMeeting(meeting.id, {
        ...(viewOnly === true ? { viewOnly } : {}),
        ...(displayName === undefined ? {} : { displayName }),
      });
    },

    async leaveLobby(meetingId) {
      lobby.leave(meetingId);
      await session.call('leaveLobby', { params: { meetingId }, body: {} });
    },

    forgetWaits: () => lobby.clear(),
    awaiting: () => lobby.awaiting(),
    ready: () => lobby.ready(),
    onServerMessage: (message) => lobby.onServerMessage(message, session.current()?.user.id ?? null),
  };
}

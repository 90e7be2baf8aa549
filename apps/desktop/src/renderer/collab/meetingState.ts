/**
 * What the server says about the meeting one is in, beyond media: the lobby (hosts), the hand
 * queue, polls, questions and breakout rooms. Filled by the first loads and kept current by the
 * server's `meeting:live` messages; the server stays the truth, so every message replaces the
 * record it carries rather than patching it.
 */
import type {
  BreakoutRoom,
  BreakoutSession,
  HelpRequest,
  IpcEventPayload,
  LobbyEntry,
  Poll,
  Question,
  RaisedHand,
} from '@tandem/shared';

export type Broadcast = { readonly fromName: string; readonly message: string; readonly sentAt: string };

export type MeetingState = {
  readonly meetingId: string;
  readonly joinCode: string;
  /** Lobby entries still waiting (hosts only; others never receive them). */
  readonly waiting: readonly LobbyEntry[];
  readonly hands: readonly RaisedHand[];
  /** Oldest first, as the server lists them. */
  readonly polls: readonly Poll[];
  /** Most upvoted first, then oldest. */
  readonly questions: readonly Question[];
  readonly breakouts: BreakoutSession | null;
  /** Hosts' messages to every room, newest last. */
  readonly broadcasts: readonly Broadcast[];
  readonly help: readonly HelpRequest[];
  /** The breakout room the call is in now; null in the main room. */
  readonly inRoom: BreakoutRoom | null;
  /** The meeting ended or we were removed: the call must end. */
  readonly left: 'removed' | 'ended' | null;
};

export type LiveMessage = IpcEventPayload<'meeting:live'>;

export function initialMeetingState(meetingId: string, joinCode = ''): MeetingState {
  return {
    meetingId,
    joinCode,
    waiting: [],
    hands: [],
    polls: [],
    questions: [],
    breakouts: null,
    broadcasts: [],
    help: [],
    inRoom: null,
    left: null,
  };
}

/** Questions as the server orders them: most votes first, then oldest. */
export function sortQuestions(questions: readonly Question[]): Question[] {
  return [...questions].sort((a, b) => b.votes - a.votes || a.createdAt.localeCompare(b.createdAt));
}

function upsert<T extends { readonly id: string }>(list: readonly T[], item: T): T[] {
  const at = list.findIndex((x) => x.id === item.id);
  return at === -1 ? [...list, item] : list.map((x, i) => (i === at ? item : x));
}

/**
 * One live message from the server, for the meeting `state` is about (`userId`: who we are).
 * Messages about other meetings change nothing.
 */
export function applyLive(state: MeetingState, message: LiveMessage, userId: string): MeetingState {
  const id = state.meetingId;
  switch (message.type) {
    case 'lobby.entry': {
      if (message.entry.meetingId !== id) return state;
      const rest = state.waiting.filter((e) => e.id !== message.entry.id);
      return { ...state, waiting: message.entry.status === 'waiting' ? [...rest, message.entry] : rest };
    }
    case 'meeting.left':
      return message.meetingId === id && message.userId === userId ? { ...state, left: message.reason } : state;
    case 'meeting.changed':
      return message.meeting.id === id && message.meeting.status === 'ended' ? { ...state, left: 'ended' } : state;
    case 'hands.changed':
      return message.meetingId === id ? { ...state, hands: message.hands } : state;
    case 'poll.changed':
      return message.poll.meetingId === id ? { ...state, polls: upsert(state.polls, message.poll) } : state;
    case 'question.changed':
      return message.question.meetingId === id
        ? { ...state, questions: sortQuestions(upsert(state.questions, message.question)) }
        : state;
    case 'breakout.changed':
      return message.session.meetingId === id
        ? { ...state, breakouts: message.session, help: message.session.helpRequests }
        : state;
    case 'breakout.broadcast':
      return message.meetingId === id
        ? {
            ...state,
            broadcasts: [
              ...state.broadcasts,
              { fromName: message.fromName, message: message.message, sentAt: message.sentAt },
            ],
          }
        : state;
    case 'breakout.help':
      return message.meetingId === id ? { ...state, help: upsert(state.help, message.request) } : state;
    case 'breakout.move':
      // The call moves on its own (CallMover in moveRoom.ts); here we only note where it is going.
      return message.meetingId === id ? { ...state, inRoom: message.room } : state;
    default:
      // The event's schema admits every server message; the others are not about a meeting.
      return state;
  }
}

import type { JoinRequest, JoinResult, Meeting } from './api/meetings.ts';
import type { ClientMessage, ServerMessage } from './api/ws.ts';
import { CodedError } from './errors.ts';

/** A join asking again will not let in, as the server answers it: the lobby said no, or the meeting is gone. */
export const refusedForGood = (code: string): boolean => code === 'forbidden' || code === 'not_found';

export type JoinedResult = Extract<JoinResult, { status: 'joined' }>;

/** What a socket's `auth` names as the lobbies it waits in (ws.ts `auth.awaiting`). */
export type AwaitedLobbies = NonNullable<Extract<ClientMessage, { type: 'auth' }>['awaiting']>;

export type LobbyWaitDeps = {
  /** `POST /meetings/:meetingId/join` with the body it was first asked with. */
  readonly join: (meetingId: string, request: JoinRequest) => Promise<JoinResult>;
  /** Admitted and joined (by the socket, or by asking again): the call starts. */
  readonly admitted: (joined: JoinedResult, request: JoinRequest) => void | Promise<void>;
  /** Refused for good (denied, removed, the meeting gone): nothing is waited for any more. */
  readonly refused: (meeting: Meeting) => void;
  readonly onError: (error: unknown) => void;
};

/**
 * A client's waits in meetings' lobbies until a host decides, the same for the desktop's main
 * process and the browser client. A socket opened while we wait names those lobbies in its `auth`
 * (`awaiting`): the server makes the join itself the moment we are admitted, at once if we
 * already are, and sends `lobby.joined` (or `lobby.refused`), a round trip fewer. A lobby we
 * started waiting in after the socket opened is followed by its `lobby.entry`: admitted, we join
 * again (`POST …/join` with the same body), as we do on `ready` for each the socket did not name
 * (a host may have decided while no socket could hear it).
 */
export function lobbyWait(deps: LobbyWaitDeps) {
  /** The meetings we wait in the lobby of, and how we asked to join: admission asks again the same way. */
  const waiting = new Map<string, { readonly meeting: Meeting; readonly request: JoinRequest }>();
  /** Those of them the open socket named in its `auth`: the server joins us there, we do not. */
  let awaitedHere = new Set<string>();

  function refuse(meetingId: string): void {
    const asked = waiting.get(meetingId);
    waiting.delete(meetingId);
    if (asked !== undefined) deps.refused(asked.meeting);
  }

  async function admit(joined: JoinedResult): Promise<void> {
    const asked = waiting.get(joined.meeting.id);
    if (asked === undefined) return;
    waiting.delete(joined.meeting.id);
    await deps.admitted(joined, asked.request);
  }

  /** Joins a meeting we wait on again: admitted, the call starts; still waiting, nothing changes. */
  async function decided(meetingId: string): Promise<void> {
    const asked = waiting.get(meetingId);
    if (asked === undefined) return;
    let result: JoinResult;
    try {
      result = await deps.join(meetingId, asked.request);
    } catch (error) {
      if (!(error instanceof CodedError) || !refusedForGood(error.code)) throw error;
      refuse(meetingId);
      return;
    }
    if (result.status === 'joined') await admit(result);
  }

  const settle = (work: Promise<void>): void => void work.catch(deps.onError);

  /** The answer to a join of ours: a `waiting` one is waited for, a `joined` one no longer. */
  function answered(result: JoinResult, request: JoinRequest): void {
    if (result.status === 'waiting') waiting.set(result.meeting.id, { meeting: result.meeting, request });
    else waiting.delete(result.meeting.id);
  }

  return {
    answered,

    /**
     * The answer to a join the socket made itself (a guest's knock on it, ws.ts `guest.knock`),
     * before its `ready`: a `waiting` one is waited for there, as if the socket's `auth` had
     * named that lobby alone (the server joins us, we do not).
     */
    answeredOnSocket(result: JoinResult, request: JoinRequest): void {
      answered(result, request);
      awaitedHere = new Set(result.status === 'waiting' ? [result.meeting.id] : []);
    },

    /**
     * We stop waiting in this meeting's lobby (left it, or the account signed out): whatever the
     * server says of it from now on, an admission included, starts no call. Telling the server
     * (`POST …/lobby/leave`) is the caller's.
     */
    leave(meetingId: string): void {
      waiting.delete(meetingId);
      awaitedHere.delete(meetingId);
    },

    /** Every wait forgotten (see `leave`): the account signed out or its session ended. */
    clear(): void {
      waiting.clear();
      awaitedHere.clear();
    },

    /** `auth.awaiting` for a socket authenticating now (undefined: none), remembered as this socket's. */
    awaiting(): AwaitedLobbies | undefined {
      const awaiting = [...waiting.values()].map(({ meeting, request }) => ({ ...request, meetingId: meeting.id }));
      awaitedHere = new Set(awaiting.map((a) => a.meetingId));
      return awaiting.length > 0 ? awaiting : undefined;
    },

    /** The socket is authenticated: each lobby it did not name is asked about again. */
    ready(): void {
      for (const meetingId of waiting.keys()) if (!awaitedHere.has(meetingId)) settle(decided(meetingId));
    },

    /** The lobby's server messages about us (`selfId`); anything else is left alone. */
    onServerMessage(message: ServerMessage, selfId: string | null): void {
      switch (message.type) {
        case 'lobby.entry': {
          const { entry } = message;
          if (entry.userId !== selfId || !waiting.has(entry.meetingId)) return;
          // Admitted where the socket waits: it joins us itself (`lobby.joined` follows).
          if (entry.status === 'admitted' && !awaitedHere.has(entry.meetingId)) settle(decided(entry.meetingId));
          else if (entry.status === 'denied' || entry.status === 'removed') refuse(entry.meetingId);
          return;
        }
        case 'lobby.joined':
          awaitedHere.delete(message.meeting.id);
          settle(admit({ status: 'joined', meeting: message.meeting, livekit: message.livekit }));
          return;
        case 'lobby.refused':
          awaitedHere.delete(message.meetingId);
          // Refused for good, as an HTTP join would be; anything else, an HTTP join says what.
          if (refusedForGood(message.error.code)) refuse(message.meetingId);
          else settle(decided(message.meetingId));
          return;
        default:
          return;
      }
    },
  };
}

export type LobbyWait = ReturnType<typeof lobbyWait>;

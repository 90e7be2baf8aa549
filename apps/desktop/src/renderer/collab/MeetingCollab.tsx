import { useLocalParticipant } from '@livekit/components-react';
import type { BreakoutRoom, IpcRequest, Poll, Question, TandemClient } from '@tandem/shared';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import { BridgeError } from '../client.ts';
import { useClient } from '../ClientContext.ts';
import { applyLive, initialMeetingState, sortQuestions, type LiveMessage, type MeetingState } from './meetingState.ts';
import { useCallMover, type CallMover } from './moveRoom.ts';
import { isHostParticipant } from './roomData.ts';
import { translateNow } from '../i18n/current.ts';
import type { MessageId } from '../i18n/locales/en.ts';
import { errorText } from '../ui/errorText.ts';

type Params = { readonly meetingId: string };

/**
 * Everything a participant or host does about the meeting besides media, each answered by the
 * server and recorded at once (the live message that follows says the same).
 */
function actionsFor(
  client: TandemClient,
  store: StoreApi<MeetingState>,
  mover: CallMover,
  onError: (message: string) => void,
) {
  const params = (): Params => ({ meetingId: store.getState().meetingId });
  const set = (patch: Partial<MeetingState> | ((s: MeetingState) => Partial<MeetingState>)) => store.setState(patch);
  const upsertPoll = (poll: Poll) =>
    set((s) => ({
      polls: s.polls.some((p) => p.id === poll.id)
        ? s.polls.map((p) => (p.id === poll.id ? poll : p))
        : [...s.polls, poll],
    }));
  const upsertQuestion = (q: Question) =>
    set((s) => ({ questions: sortQuestions([...s.questions.filter((x) => x.id !== q.id), q]) }));
  /** Runs one request; a failure is reported and answers false, so a form can keep its input. */
  const run = async <T,>(what: string, request: () => Promise<T>, apply: (answer: T) => void): Promise<boolean> => {
    try {
      apply(await request());
      return true;
    } catch (e) {
      onError(translateNow('collab.failed', { what, reason: errorText(e) }));
      return false;
    }
  };
  const empty = {} as const;

  return {
    raiseHand: () =>
      run(
        translateNow('collab.doing.raiseHand'),
        () => client.handsRaise({ params: params(), body: empty }),
        (q) => set({ hands: q.hands }),
      ),
    lowerHand: (userId?: string) =>
      run(
        translateNow('collab.doing.lowerHand'),
        () => client.handsLower({ params: params(), body: userId === undefined ? {} : { userId } }),
        (q) => set({ hands: q.hands }),
      ),
    lowerAllHands: () =>
      run(
        translateNow('collab.doing.lowerAll'),
        () => client.handsLowerAll({ params: params(), body: empty }),
        (q) => set({ hands: q.hands }),
      ),

    admit: (entryId: string) =>
      run(
        translateNow('collab.doing.admit'),
        () => client.lobbyAdmit({ params: { ...params(), entryId }, body: empty }),
        (l) => set({ waiting: l.entries.filter((e) => e.status === 'waiting') }),
      ),
    deny: (entryId: string) =>
      run(
        translateNow('collab.doing.deny'),
        () => client.lobbyDeny({ params: { ...params(), entryId }, body: empty }),
        (l) => set({ waiting: l.entries.filter((e) => e.status === 'waiting') }),
      ),
    admitAll: () =>
      run(
        translateNow('collab.doing.admitAll'),
        () => client.lobbyAdmitAll({ params: params(), body: empty }),
        (l) => set({ waiting: l.entries.filter((e) => e.status === 'waiting') }),
      ),

    mute: (userId: string) =>
      run(
        translateNow('collab.doing.mute'),
        () => client.hostMute({ params: { ...params(), userId }, body: { kind: 'audio' } }),
        () => undefined,
      ),
    muteAll: () =>
      run(
        translateNow('collab.doing.muteAll'),
        () => client.hostMuteAll({ params: params(), body: empty }),
        () => undefined,
      ),
    remove: (userId: string) =>
      run(
        translateNow('collab.doing.remove'),
        () => client.hostRemove({ params: { ...params(), userId }, body: empty }),
        () => undefined,
      ),
    lock: (locked: boolean) =>
      run(
        translateNow('collab.doing.lock'),
        () => client.hostLock({ params: params(), body: { locked } }),
        () => undefined,
      ),
    end: () =>
      run(
        translateNow('collab.doing.end'),
        () => client.hostEnd({ params: params(), body: empty }),
        () => undefined,
      ),

    createPoll: (body: IpcRequest<'polls:create'>['body']) =>
      run(translateNow('collab.doing.createPoll'), () => client.pollsCreate({ params: params(), body }), upsertPoll),
    closePoll: (pollId: string) =>
      run(
        translateNow('collab.doing.closePoll'),
        () => client.pollsClose({ params: { ...params(), pollId }, body: empty }),
        upsertPoll,
      ),
    vote: (pollId: string, options: readonly number[]) =>
      run(
        translateNow('collab.doing.vote'),
        () => client.pollsVote({ params: { ...params(), pollId }, body: { options: [...options] } }),
        upsertPoll,
      ),

    ask: (text: string) =>
      run(
        translateNow('collab.doing.ask'),
        () => client.questionsAsk({ params: params(), body: { text } }),
        upsertQuestion,
      ),
    upvote: (questionId: string, up: boolean) =>
      run(
        translateNow('collab.doing.upvote'),
        () => client.questionsUpvote({ params: { ...params(), questionId }, body: { up } }),
        upsertQuestion,
      ),
    /** `answerPrivate`: for the author (and who runs the Q&A) only. */
    answer: (questionId: string, answer: string, answerPrivate = false) =>
      run(
        translateNow('collab.doing.answer'),
        () =>
          client.questionsAnswer({
            params: { ...params(), questionId },
            body: answerPrivate ? { answer, private: true } : { answer },
          }),
        upsertQuestion,
      ),
    /** A webinar's moderation queue: publish a question to everyone, or dismiss it. */
    moderate: (questionId: string, moderation: 'published' | 'dismissed') =>
      run(
        moderation === 'published' ? translateNow('collab.doing.publish') : translateNow('collab.doing.dismiss'),
        () => client.questionsModerate({ params: { ...params(), questionId }, body: { moderation } }),
        upsertQuestion,
      ),
    markAnswered: (questionId: string, answered: boolean) =>
      run(
        translateNow('collab.doing.mark'),
        () => client.questionsMarkAnswered({ params: { ...params(), questionId }, body: { answered } }),
        upsertQuestion,
      ),

    createBreakouts: (names: readonly string[], allowChoose: boolean) =>
      run(
        translateNow('collab.doing.createRooms'),
        () =>
          client.breakoutsCreate({ params: params(), body: { rooms: names.map((name) => ({ name })), allowChoose } }),
        (b) => set({ breakouts: b }),
      ),
    assignBreakouts: (body: IpcRequest<'breakouts:assign'>['body']) =>
      run(
        translateNow('collab.doing.assign'),
        () => client.breakoutsAssign({ params: params(), body }),
        (b) => set({ breakouts: b }),
      ),
    chooseBreakout: (roomId: string) =>
      run(
        translateNow('collab.doing.choose'),
        () => client.breakoutsChoose({ params: params(), body: { roomId } }),
        (b) => set({ breakouts: b }),
      ),
    openBreakouts: (durationSeconds?: number) =>
      run(
        translateNow('collab.doing.open'),
        () =>
          client.breakoutsOpen({ params: params(), body: durationSeconds === undefined ? {} : { durationSeconds } }),
        (b) => set({ breakouts: b }),
      ),
    closeBreakouts: () =>
      run(
        translateNow('collab.doing.close'),
        () => client.breakoutsClose({ params: params(), body: empty }),
        (b) => set({ breakouts: b }),
      ),
    countdown: (seconds: number) =>
      run(
        translateNow('collab.doing.countdown'),
        () => client.breakoutsCountdown({ params: params(), body: { seconds } }),
        (b) => set({ breakouts: b }),
      ),
    broadcast: (message: string) =>
      run(
        translateNow('collab.doing.broadcast'),
        () => client.breakoutsBroadcast({ params: params(), body: { message } }),
        () => undefined,
      ),
    askForHelp: () =>
      run(
        translateNow('collab.doing.help'),
        () => client.breakoutsHelp({ params: params(), body: empty }),
        () => undefined,
      ),
    /** A host looks into any room (a token for it), and comes back (a main-room token). */
    visit: (target: BreakoutRoom) =>
      run(
        translateNow('collab.doing.visit', { name: target.name }),
        async () => {
          await mover.move(await client.breakoutsJoin({ params: { ...params(), roomId: target.id }, body: empty }));
        },
        () => set({ inRoom: target }),
      ),
    backToMain: () =>
      run(
        translateNow('collab.doing.back'),
        async () => {
          const joined = await client.meetingsJoin({ codeOrLink: store.getState().joinCode });
          if (joined.status !== 'joined') throw new Error('the main room did not let you in');
          await mover.move(joined.call.livekit);
        },
        () => set({ inRoom: null }),
      ),
  };
}

export type MeetingActions = ReturnType<typeof actionsFor>;
type MeetingCollab = {
  readonly store: StoreApi<MeetingState>;
  readonly actions: MeetingActions;
  readonly self: { readonly userId: string; readonly isHost: boolean };
};

const MeetingCollabContext = createContext<MeetingCollab | undefined>(undefined);

/**
 * The meeting's server-side collaboration state for the call inside it: loaded when the call
 * starts, kept current by `meeting:live`. A breakout move from the server moves the call
 * (CallMover): the call's Room changes, this state does not.
 */
export function MeetingCollabProvider({
  meetingId,
  joinCode,
  onError,
  children,
}: {
  readonly meetingId: string;
  /** To rejoin the main room after a host's visit to a breakout room. */
  readonly joinCode: string;
  readonly onError: (message: string) => void;
  readonly children: ReactNode;
}) {
  const mover = useCallMover();
  const { localParticipant } = useLocalParticipant();
  // Who we are is fixed for the call: a breakout room's token may carry other attributes, and
  // re-reading them after a move would reset the meeting state mid-call.
  const [{ userId, isHost }] = useState(() => ({
    userId: localParticipant.attributes['userId'] ?? localParticipant.identity,
    isHost: isHostParticipant(localParticipant),
  }));
  const [value, setValue] = useState<MeetingCollab | null>(null);
  const client = useClient();

  useEffect(() => {
    const store = createStore<MeetingState>()(() => initialMeetingState(meetingId, joinCode));
    const actions = actionsFor(client, store, mover, onError);
    setValue({ store, actions, self: { userId, isHost } });
    const off = client.onMeetingLive((message: LiveMessage) => {
      store.setState((s) => applyLive(s, message, userId));
      if (message.type === 'breakout.move' && message.meetingId === meetingId)
        mover
          .move(message.livekit)
          .catch((e: unknown) => onError(translateNow('collab.moveFailed', { reason: errorText(e) })));
    });
    const params = { meetingId };
    const load = async <T,>(
      what: MessageId,
      request: () => Promise<T>,
      apply: (answer: T) => Partial<MeetingState>,
    ) => {
      try {
        store.setState(apply(await request()));
      } catch (e) {
        // A meeting without breakout rooms answers not_found: that is an empty state, not a failure.
        if (e instanceof BridgeError && e.code === 'not_found') return;
        onError(translateNow('collab.loadFailed', { what: translateNow(what), reason: errorText(e) }));
      }
    };
    void load(
      'collab.what.hands',
      () => client.handsList({ params, body: {} }),
      (q) => ({ hands: q.hands }),
    );
    void load(
      'collab.what.polls',
      () => client.pollsList({ params, body: {} }),
      (l) => ({ polls: l.polls }),
    );
    void load(
      'collab.what.questions',
      () => client.questionsList({ params, body: {} }),
      (l) => ({ questions: sortQuestions(l.questions) }),
    );
    void load(
      'collab.what.breakouts',
      () => client.breakoutsGet({ params, body: {} }),
      (b) => ({ breakouts: b, help: b.helpRequests }),
    );
    if (isHost)
      void load(
        'collab.what.lobby',
        () => client.lobbyList({ params, body: {} }),
        (l) => ({
          waiting: l.entries.filter((e) => e.status === 'waiting'),
        }),
      );
    return off;
  }, [client, mover, meetingId, joinCode, userId, isHost, onError]);

  return value === null ? null : (
    <MeetingCollabContext.Provider value={value}>{children}</MeetingCollabContext.Provider>
  );
}

function useMeetingCollab(): MeetingCollab {
  const value = useContext(MeetingCollabContext);
  if (value === undefined) throw new Error('meeting hooks must be used inside MeetingCollabProvider');
  return value;
}

export function useMeeting<T>(selector: (state: MeetingState) => T): T {
  return useStore(useMeetingCollab().store, selector);
}

export function useMeetingActions(): MeetingActions {
  return useMeetingCollab().actions;
}

export function useSelf(): MeetingCollab['self'] {
  return useMeetingCollab().self;
}

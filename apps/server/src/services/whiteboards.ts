import { annotations, type SaveWhiteboardRequest, type Whiteboard } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import { type Caller, nowIso } from './context.ts';
import { conflict, forbidden } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';

/**
 * A meeting's whiteboard (issue 15): its participants read it and save their own records, during
 * the meeting and after it. The merge is the clients' (`annotations.reconcile`'s order), the rule
 * on who may write what is theirs too (`admitRemote` under `BOARD_POLICY`), so the server keeps
 * exactly the board every client converges to. Live drawing does not pass through here: it
 * travels as LiveKit data between the participants.
 *
 * An end-to-end encrypted meeting has no board on the server: the server must not read what its
 * participants share, so both routes refuse (409), and the app offers no whiteboard there.
 */
export function whiteboardService(store: Store, access: MeetingAccess) {
  async function meetingOf(caller: Caller, meetingId: string) {
    const m = await access.asParticipant(caller, meetingId);
    if (m.settings.e2ee)
      throw conflict('this meeting is end-to-end encrypted: the server cannot keep its whiteboard, so it has none');
    return m;
  }

  return {
    async get(caller: Caller, meetingId: string): Promise<Whiteboard> {
      const m = await meetingOf(caller, meetingId);
      return store.whiteboards.get(m.organisationId, m.id);
    },

    async save(caller: Caller, meetingId: string, req: SaveWhiteboardRequest): Promise<{ changed: number }> {
      const m = await meetingOf(caller, meetingId);
      const sender = { id: caller.user.id, isHost: access.isHost(caller.user, m) };
      const changed = await store.whiteboards.merge(
        m.organisationId,
        m.id,
        [...new Set(req.elements.map((e) => e.id))],
        (known, count) => {
          const admitted = annotations.admitRemote(known, req.elements, sender, annotations.BOARD_POLICY);
          if (admitted.length < req.elements.length)
            throw forbidden("you may change only your own marks on the board (hosts may also erase others')");
          const won = annotations.winners(known, admitted);
          const added = won.filter((e) => !known.has(e.id)).length;
          if (count + added > annotations.WHITEBOARD_LIMITS.elements)
            throw conflict(`the board is full: it holds at most ${annotations.WHITEBOARD_LIMITS.elements} marks`);
          return won;
        },
        nowIso(),
      );
      return { changed };
    },
  };
}

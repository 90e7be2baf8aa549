import type { Livekit } from '../livekit/index.ts';
import type { OpenVisit, Store } from '../store/index.ts';
import { nowIso } from './context.ts';
import { roomOf } from './meetings.ts';
import type { Log } from './realtime.ts';
import type { WebhookService } from './webhooks.ts';

/** How often reconciliation runs, and how long LiveKit may not yet list someone whose join it reported. */
export type ReconcileSettings = { readonly everyMs: number; readonly graceMs: number };

export const DEFAULT_RECONCILE: ReconcileSettings = { everyMs: 30_000, graceMs: 30_000 };

/**
 * LiveKit's participant_left does not always arrive: a node that dies takes its participants'
 * webhooks with it, and one sent while no instance listened is lost. Reconciliation asks LiveKit
 * who really is in the rooms of meetings with open visits, and ends the visits (and presence in
 * the meeting) of identities it no longer has, through the webhook's own `participantLeft`; a
 * room LiveKit no longer holds ends all of them (so does one it lists but no node answers for
 * longer than `graceMs`: see `silentSince`). Visits younger than `graceMs` wait (LiveKit may not
 * list someone who joined a moment ago), and a LiveKit that does not answer changes nothing:
 * said once, tried again next time.
 */
export function reconciliation(
  store: Store,
  livekit: Livekit,
  webhooks: Pick<WebhookService, 'participantLeft'>,
  log: Log,
  graceMs: number,
) {
  /** LiveKit did not answer last time: said once, until it answers again. */
  let unanswered = false;
  const notAnswered = (e: unknown): void => {
    if (!unanswered) log('LiveKit did not answer who is in its rooms: open visits stay open until it does', e);
    unanswered = true;
  };

  /**
   * Rooms LiveKit lists but no node answers for, since when. With several nodes a room lives on
   * one; when that node dies LiveKit keeps listing the room (its Redis copy) and nobody answers
   * for it until someone's reconnection places it on a survivor (about ten seconds). A room
   * still unanswered after `graceMs` while LiveKit answers everything else went with its node.
   */
  const silentSince = new Map<string, number>();

  return async function reconcile(): Promise<void> {
    const joinedBy = new Date(Date.now() - graceMs).toISOString();
    const byMeeting = new Map<string, OpenVisit[]>();
    for (const visit of await store.activity.openVisits(joinedBy)) {
      const visits = byMeeting.get(visit.meetingId);
      if (visits === undefined) byMeeting.set(visit.meetingId, [visit]);
      else visits.push(visit);
    }
    if (byMeeting.size === 0) return;
    let rooms: ReadonlySet<string>;
    try {
      rooms = new Set(await livekit.openRooms());
    } catch (e) {
      notAnswered(e);
      // LiveKit as a whole did not answer: that says nothing about single rooms.
      silentSince.clear();
      return;
    }
    let answered = true;
    const asked = new Set<string>();
    for (const [meetingId, visits] of byMeeting) {
      const organisationId = visits[0]?.organisationId;
      const meeting = organisationId === undefined ? undefined : await store.meetings.get(organisationId, meetingId);
      if (meeting === undefined) continue;
      const room = roomOf(meeting.id);
      asked.add(room);
      let present: ReadonlySet<string>;
      try {
        // With several LiveKit nodes the answer comes from the node holding the room (docs/deploy/).
        present = new Set(rooms.has(room) ? await livekit.participantIdentities(room) : []);
        silentSince.delete(room);
      } catch (e) {
        const since = silentSince.get(room) ?? Date.now();
        silentSince.set(room, since);
        if (Date.now() - since < graceMs) {
          notAnswered(e);
          answered = false;
          continue;
        }
        present = new Set();
      }
      const at = nowIso();
      for (const { identity } of visits)
        if (!present.has(identity)) await webhooks.participantLeft(meeting, identity, at, false, joinedBy);
    }
    for (const room of silentSince.keys()) if (!asked.has(room)) silentSince.delete(room);
    if (answered) unanswered = false;
  };
}

import type { Meeting } from '@tandem/shared';
import type { HeldRoom, Livekit, RoomPeople } from '../livekit/index.ts';
import type { OpenVisit, Store } from '../store/index.ts';
import { meetingOfBreakoutRoom } from './breakouts.ts';
import { nowIso } from './context.ts';
import { meetingOfRoom, roomOf } from './meetings.ts';
import type { Log } from './realtime.ts';
import type { WebhookService } from './webhooks.ts';

/** How often reconciliation runs, and how long LiveKit may not yet list someone whose join it reported. */
export type ReconcileSettings = { readonly everyMs: number; readonly graceMs: number };

export const DEFAULT_RECONCILE: ReconcileSettings = { everyMs: 30_000, graceMs: 30_000 };

/**
 * LiveKit's participant_left does not always arrive: a node that dies takes its participants'
 * webhooks with it, and one sent while no instance listened is lost. Reconciliation asks LiveKit
 * who really is in the rooms of meetings with open visits, and ends the visits (and presence in
 * the meeting) of identities it no longer has, through the webhook's own `participantLeft` (a
 * phone call's visit as a phone call's, which retires a dial-out's guest account); a room LiveKit
 * no longer holds ends all of them (so does one it lists but no node answers for longer than
 * `graceMs`: see `silentSince`). Visits younger than `graceMs` wait (LiveKit may not list someone
 * who joined a moment ago), and a LiveKit that does not answer changes nothing: said once, tried
 * again next time.
 *
 * A dead node sends no room_finished either: a meeting live since before `graceMs` whose room
 * LiveKit no longer holds (or no node answers for, as above) finishes through the webhook's own
 * `roomFinished`, after its visits ended. Not while one of its breakout rooms is held (its people
 * are there), and not when it changed since it was read (its room started again meanwhile).
 *
 * The other way round, joins LiveKit reported to nobody (every instance was down while it tried,
 * and it gave up): in a meeting's room holding more people than the meeting has open visits,
 * whoever LiveKit lists with no open visit, who joined before `graceMs`, joins through the
 * webhook's own `participantJoined` (a visit from when they joined, presence in the meeting; one
 * who may not be there is removed), and a meeting still scheduled whose room LiveKit held since
 * before `graceMs` starts through its `roomStarted`.
 *
 * A live meeting whose room holds people but no transcriber (its instance died, or it failed) is
 * handed to `transcribe`, which starts one if the meeting is transcribed and no instance holds its
 * transcriber's lease (transcripts.ts `ensure`).
 */
export function reconciliation(
  store: Store,
  livekit: Livekit,
  webhooks: Pick<WebhookService, 'participantLeft' | 'roomFinished' | 'participantJoined' | 'roomStarted'>,
  log: Log,
  graceMs: number,
  transcribe: (meeting: Meeting) => void,
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

  /**
   * The meeting read as live before LiveKit was asked finishes, unless it changed since: a room
   * started again meanwhile made it live anew (room_started), and LiveKit's own room_finished or
   * its host may have ended it.
   */
  async function finish(meeting: Meeting): Promise<void> {
    const now = await store.meetings.get(meeting.organisationId, meeting.id);
    if (now?.status === 'live' && now.updatedAt === meeting.updatedAt) await webhooks.roomFinished(now, nowIso());
  }

  /**
   * Joins nobody recorded in the meetings' rooms LiveKit holds (`held`), before `joinedBy`;
   * `open`: the identities with an open visit, by meeting, read before LiveKit was asked. False
   * when LiveKit did not answer for a room (tried again next time).
   */
  async function unrecordedJoins(
    held: readonly HeldRoom[],
    open: ReadonlyMap<string, ReadonlySet<string>>,
    joinedBy: Date,
    listed: ReadonlyMap<string, RoomPeople>,
  ): Promise<boolean> {
    let answered = true;
    for (const room of held) {
      const meetingId = meetingOfRoom(room.name);
      // Hidden helpers count in LiveKit's number: more than the visits only means someone may be missing.
      if (meetingId === undefined || room.participants <= (open.get(meetingId)?.size ?? 0)) continue;
      const meeting = await store.meetings.getForRoom(meetingId);
      if (meeting === undefined) continue;
      const visiting = open.get(meetingId) ?? new Set<string>();
      let present: RoomPeople['people'];
      try {
        // Listed already in this run for its visits (a room with hidden helpers always holds
        // more people than visits): not asked again.
        present = (listed.get(room.name) ?? (await livekit.present(room.name))).people;
      } catch (e) {
        notAnswered(e);
        answered = false;
        continue;
      }
      const missing = present.filter((p) => !visiting.has(p.identity) && p.joinedAt <= joinedBy);
      for (const p of missing) await webhooks.participantJoined(meeting, { ...p, room: room.name, at: p.joinedAt });
      if (missing.length > 0 && meeting.status === 'scheduled' && room.since <= joinedBy)
        await webhooks.roomStarted(meeting, room.since.toISOString());
    }
    return answered;
  }

  return async function reconcile(): Promise<void> {
    const joinedBy = new Date(Date.now() - graceMs).toISOString();
    // Everyone with an open visit now, by meeting: read before LiveKit is asked, so a visit
    // recorded meanwhile only makes someone look missing to a later run, never twice here.
    const open = new Map<string, Set<string>>();
    for (const visit of await store.activity.openVisits(nowIso())) {
      const identities = open.get(visit.meetingId) ?? new Set<string>();
      identities.add(visit.identity);
      open.set(visit.meetingId, identities);
    }
    const byMeeting = new Map<string, { readonly organisationId: string; readonly visits: OpenVisit[] }>();
    for (const visit of await store.activity.openVisits(joinedBy)) {
      const found = byMeeting.get(visit.meetingId);
      if (found === undefined)
        byMeeting.set(visit.meetingId, { organisationId: visit.organisationId, visits: [visit] });
      else found.visits.push(visit);
    }
    // Read before LiveKit is asked, and live since before the grace: a room made a moment ago
    // (its room_started makes the meeting live now) is not among them.
    const live = new Map((await store.meetings.liveBy(joinedBy)).map((m) => [m.id, m]));
    for (const m of live.values())
      if (!byMeeting.has(m.id)) byMeeting.set(m.id, { organisationId: m.organisationId, visits: [] });
    let heldRooms: HeldRoom[];
    try {
      heldRooms = await livekit.heldRooms();
    } catch (e) {
      notAnswered(e);
      // LiveKit as a whole did not answer: that says nothing about single rooms.
      silentSince.clear();
      return;
    }
    const rooms = new Set(heldRooms.map((r) => r.name));
    let answered = true;
    const asked = new Set<string>();
    /** Who LiveKit listed in each room this run. */
    const listed = new Map<string, RoomPeople>();
    /** Meetings with a breakout room LiveKit holds: their people are there, their main room may be gone. */
    const inBreakouts = new Set([...rooms].map(meetingOfBreakoutRoom));
    for (const [meetingId, { organisationId, visits }] of byMeeting) {
      const meeting = live.get(meetingId) ?? (await store.meetings.get(organisationId, meetingId));
      if (meeting === undefined) continue;
      const room = roomOf(meeting.id);
      asked.add(room);
      let held = rooms.has(room);
      let present: ReadonlySet<string>;
      try {
        // With several LiveKit nodes the answer comes from the node holding the room (docs/deploy/).
        const there = held ? await livekit.present(room) : { people: [], transcribed: false };
        if (held) listed.set(room, there);
        present = new Set(there.people.map((p) => p.identity));
        silentSince.delete(room);
        if (live.has(meeting.id) && there.people.length > 0 && !there.transcribed) transcribe(meeting);
      } catch (e) {
        const since = silentSince.get(room) ?? Date.now();
        silentSince.set(room, since);
        if (Date.now() - since < graceMs) {
          notAnswered(e);
          answered = false;
          continue;
        }
        held = false;
        present = new Set();
      }
      const at = nowIso();
      for (const { identity, phone } of visits)
        if (!present.has(identity)) await webhooks.participantLeft(meeting, identity, at, phone, { joinedBy });
      if (live.has(meeting.id) && !held && !inBreakouts.has(meeting.id)) await finish(meeting);
    }
    for (const room of silentSince.keys()) if (!asked.has(room)) silentSince.delete(room);
    if (!(await unrecordedJoins(heldRooms, open, new Date(joinedBy), listed))) answered = false;
    if (answered) unanswered = false;
  };
}

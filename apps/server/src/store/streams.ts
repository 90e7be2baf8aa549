import { RUNNING_STREAM_STATUSES, type LiveStreamStatus } from '@tandem/shared';
import { sql, type Selectable } from 'kysely';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

/** A meeting's latest live stream as stored (the API's view adds the running figures, kept in memory). */
export type StreamRecord = {
  readonly meetingId: string;
  readonly organisationId: string;
  /** Names this run (its recorder process): a report of an older run changes nothing. */
  readonly runId: string;
  readonly status: LiveStreamStatus;
  readonly url: string;
  /** The stream key sealed with the vault keyring (JSON); null without one. */
  readonly keySealed: string | null;
  readonly startedBy: { readonly id: string; readonly name: string };
  readonly startedAt: string;
  readonly liveSince: string | null;
  readonly endedAt: string | null;
  readonly failure: string | null;
  /** The coordination instance whose recorder runs it (null: started before 057_stream_instance). */
  readonly instanceId: string | null;
};

export type NewStream = Omit<StreamRecord, 'status' | 'liveSince' | 'endedAt' | 'failure'>;

export type StreamPatch = {
  readonly status?: LiveStreamStatus;
  readonly liveSince?: string;
  readonly endedAt?: string;
  readonly failure?: string | null;
};

const RUNNING: readonly string[] = RUNNING_STREAM_STATUSES;

const toRecord = (r: Selectable<Database['meeting_streams']>): StreamRecord => ({
  meetingId: r.meeting_id,
  organisationId: r.organisation_id,
  runId: r.run_id,
  status: r.status as LiveStreamStatus,
  url: r.url,
  keySealed: r.key_sealed,
  startedBy: { id: r.started_by_id, name: r.started_by_name },
  startedAt: r.started_at,
  liveSince: r.live_since,
  endedAt: r.ended_at,
  failure: r.failure,
  instanceId: r.instance_id,
});

export function streamStore(db: Db) {
  return {
    async get(organisationId: string, meetingId: string): Promise<StreamRecord | undefined> {
      const r = await db
        .selectFrom('meeting_streams')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('meeting_id', '=', meetingId)
        .executeTakeFirst();
      return r === undefined ? undefined : toRecord(r);
    },

    /**
     * A new run of the meeting's stream, `starting`, unless one runs: the check and the write are
     * one transaction, so two hosts pressing Start at once get one stream. False when one runs.
     */
    async start(s: NewStream): Promise<boolean> {
      return db.transaction().execute(async (tx) => {
        const existing = await tx
          .selectFrom('meeting_streams')
          .select('status')
          .where('meeting_id', '=', s.meetingId)
          .executeTakeFirst();
        if (existing !== undefined && RUNNING.includes(existing.status)) return false;
        const values = {
          organisation_id: s.organisationId,
          run_id: s.runId,
          status: 'starting',
          url: s.url,
          key_sealed: s.keySealed,
          started_by_id: s.startedBy.id,
          started_by_name: s.startedBy.name,
          started_at: s.startedAt,
          live_since: null,
          ended_at: null,
          failure: null,
          instance_id: s.instanceId,
        };
        if (existing === undefined)
          await tx
            .insertInto('meeting_streams')
            .values({ meeting_id: s.meetingId, ...values })
            .execute();
        else await tx.updateTable('meeting_streams').set(values).where('meeting_id', '=', s.meetingId).execute();
        return true;
      });
    },

    /** Changes the run `runId` while its status is one of `from`; the record after, or undefined when it was not. */
    async update(
      meetingId: string,
      runId: string,
      from: readonly LiveStreamStatus[],
      patch: StreamPatch,
    ): Promise<StreamRecord | undefined> {
      const set = {
        ...(patch.status === undefined ? {} : { status: patch.status }),
        ...(patch.liveSince === undefined ? {} : { live_since: patch.liveSince }),
        ...(patch.endedAt === undefined ? {} : { ended_at: patch.endedAt }),
        ...(patch.failure === undefined ? {} : { failure: patch.failure }),
      };
      const changed = await db
        .updateTable('meeting_streams')
        .set(set)
        .where('meeting_id', '=', meetingId)
        .where('run_id', '=', runId)
        .where('status', 'in', from)
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) === 0) return undefined;
      const r = await db
        .selectFrom('meeting_streams')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .executeTakeFirstOrThrow();
      return toRecord(r);
    },

    /**
     * Every stream still running (what a restarted server, or the sweep of a dead instance's,
     * must settle). The statuses as literals, so that both engines read 057's partial index
     * `meeting_streams_running`.
     */
    async allRunning(): Promise<StreamRecord[]> {
      const running = RUNNING.map((s) => sql.lit(s));
      const rows = await db.selectFrom('meeting_streams').selectAll().where('status', 'in', running).execute();
      return rows.map(toRecord);
    },
  };
}

export type StreamStore = ReturnType<typeof streamStore>;

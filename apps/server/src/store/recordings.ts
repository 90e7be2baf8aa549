import type { RecordingStatus } from '@tandem/shared';
import { sql, type Selectable } from 'kysely';
import type { Db } from './db.ts';
import { isPostgres } from './dialect.ts';
import type { Database } from './schema.ts';

/** A recording as stored: the API's view adds its expiry, which depends on the organisation's setting. */
export type RecordingRecord = {
  readonly id: string;
  readonly organisationId: string;
  readonly meetingId: string;
  readonly status: RecordingStatus;
  readonly startedBy: { readonly id: string; readonly name: string };
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly durationMs: number | null;
  readonly sizeBytes: number | null;
  readonly failure: string | null;
  /** Where the finished file is in the recording storage; null while there is none. */
  readonly storageKey: string | null;
  /** The organisation's retention period now. */
  readonly retentionDays: number;
  /** The coordination instance whose recorder makes it (null: started before 056_recording_instance). */
  readonly instanceId: string | null;
};

export type RecordingPatch = {
  readonly status?: RecordingStatus;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly durationMs?: number | null;
  readonly sizeBytes?: number | null;
  readonly failure?: string | null;
  readonly storageKey?: string | null;
};

/** The statuses of a recording that is still being made (the partial unique index allows one per meeting). */
const RUNNING: readonly RecordingStatus[] = ['starting', 'recording', 'stopping'];

type Row = Selectable<Database['recordings']> & { retention_days: number };

const toRecord = (r: Row): RecordingRecord => ({
  id: r.id,
  organisationId: r.organisation_id,
  meetingId: r.meeting_id,
  status: r.status as RecordingStatus,
  startedBy: { id: r.started_by, name: r.started_by_name },
  createdAt: r.created_at,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  durationMs: r.duration_ms,
  sizeBytes: r.size_bytes,
  failure: r.failure,
  storageKey: r.storage_key,
  retentionDays: r.retention_days,
  instanceId: r.instance_id,
});

export function recordingStore(db: Db) {
  const rows = () =>
    db
      .selectFrom('recordings')
      .innerJoin('organisations', 'organisations.id', 'recordings.organisation_id')
      .selectAll('recordings')
      .select('organisations.recording_retention_days as retention_days');

  return {
    /** False when the meeting already has a recording being made (the unique index decides, so a race cannot make two). */
    async insert(r: {
      id: string;
      organisationId: string;
      meetingId: string;
      startedBy: { id: string; name: string };
      createdAt: string;
      /** The instance that runs its recorder. */
      instanceId: string;
    }): Promise<boolean> {
      const inserted = await db
        .insertInto('recordings')
        .values({
          id: r.id,
          organisation_id: r.organisationId,
          meeting_id: r.meetingId,
          status: 'starting',
          started_by: r.startedBy.id,
          started_by_name: r.startedBy.name,
          created_at: r.createdAt,
          instance_id: r.instanceId,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return inserted.numInsertedOrUpdatedRows === 1n;
    },

    async get(organisationId: string, id: string): Promise<RecordingRecord | undefined> {
      const r = await rows()
        .where('recordings.organisation_id', '=', organisationId)
        .where('recordings.id', '=', id)
        .executeTakeFirst();
      return r === undefined ? undefined : toRecord(r);
    },

    /** Newest first. */
    async ofMeeting(organisationId: string, meetingId: string): Promise<RecordingRecord[]> {
      const found = await rows()
        .where('recordings.organisation_id', '=', organisationId)
        .where('recordings.meeting_id', '=', meetingId)
        .orderBy('recordings.created_at', 'desc')
        .execute();
      return found.map(toRecord);
    },

    async running(organisationId: string, meetingId: string): Promise<RecordingRecord | undefined> {
      const r = await rows()
        .where('recordings.organisation_id', '=', organisationId)
        .where('recordings.meeting_id', '=', meetingId)
        .where('recordings.status', 'in', RUNNING)
        .executeTakeFirst();
      return r === undefined ? undefined : toRecord(r);
    },

    /** A recording still being made, whichever organisation's (the supervisor knows it by id alone). */
    async runningById(id: string): Promise<RecordingRecord | undefined> {
      const r = await rows()
        .where('recordings.id', '=', id)
        .where('recordings.status', 'in', RUNNING)
        .executeTakeFirst();
      return r === undefined ? undefined : toRecord(r);
    },

    /**
     * Every recording still being made, in any organisation (what a restarted server, or the
     * sweep of a dead instance's, must settle). The statuses as literals, so that both engines
     * read `recordings_one_running` (a partial index is not proved to cover bound parameters).
     */
    async allRunning(): Promise<RecordingRecord[]> {
      const running = RUNNING.map((s) => sql.lit(s));
      return (await rows().where('recordings.status', 'in', running).execute()).map(toRecord);
    },

    /**
     * Applies `patch` only while the recording's status is one of `from`, so two settlements
     * (a stop racing a crash) cannot both win. Answers the record as it now is, or undefined.
     */
    async update(
      id: string,
      from: readonly RecordingStatus[],
      patch: RecordingPatch,
    ): Promise<RecordingRecord | undefined> {
      const changed = await db
        .updateTable('recordings')
        .set({
          ...(patch.status === undefined ? {} : { status: patch.status }),
          ...(patch.startedAt === undefined ? {} : { started_at: patch.startedAt }),
          ...(patch.endedAt === undefined ? {} : { ended_at: patch.endedAt }),
          ...(patch.durationMs === undefined ? {} : { duration_ms: patch.durationMs }),
          ...(patch.sizeBytes === undefined ? {} : { size_bytes: patch.sizeBytes }),
          ...(patch.failure === undefined ? {} : { failure: patch.failure }),
          ...(patch.storageKey === undefined ? {} : { storage_key: patch.storageKey }),
        })
        .where('id', '=', id)
        .where('status', 'in', from)
        .executeTakeFirst();
      if (changed.numUpdatedRows === 0n) return undefined;
      const r = await rows().where('recordings.id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : toRecord(r);
    },

    /** Its links go with it (ON DELETE CASCADE). */
    async remove(id: string): Promise<void> {
      await db.deleteFrom('recordings').where('id', '=', id).execute();
    },

    /** Finished recordings whose organisation's retention period, counted from their end, is over at `now`. */
    async expired(now: string): Promise<RecordingRecord[]> {
      const found = await rows()
        .where('recordings.ended_at', 'is not', null)
        .where('recordings.status', 'in', ['ready', 'failed'])
        .where(
          isPostgres(db)
            ? sql<boolean>`recordings.ended_at::timestamptz + organisations.recording_retention_days * interval '1 day' < ${now}::timestamptz`
            : sql<boolean>`julianday(recordings.ended_at) + organisations.recording_retention_days < julianday(${now})`,
        )
        .execute();
      return found.map(toRecord);
    },

    async dropExpiredLinks(now: string): Promise<void> {
      await db.deleteFrom('recording_links').where('expires_at', '<=', now).execute();
    },

    async addLink(tokenHash: string, recordingId: string, expiresAt: string): Promise<void> {
      await db
        .insertInto('recording_links')
        .values({ token_hash: tokenHash, recording_id: recordingId, expires_at: expiresAt })
        .execute();
    },

    /** The recording a link opens while it is valid at `now`. */
    async byLink(tokenHash: string, now: string): Promise<RecordingRecord | undefined> {
      const link = await db
        .selectFrom('recording_links')
        .select('recording_id')
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (link === undefined) return undefined;
      const r = await rows().where('recordings.id', '=', link.recording_id).executeTakeFirst();
      return r === undefined ? undefined : toRecord(r);
    },
  };
}

export type RecordingStore = ReturnType<typeof recordingStore>;

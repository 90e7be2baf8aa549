import { createRequire } from 'node:module';
import {
  FALLBACK_CHECKPOINT_PAGES,
  RESTART_AT_PAGES,
  startCheckpointer,
  type Checkpointer,
} from '@tandem/sqlite-checkpointer';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  SqliteDriver,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Migration,
  type QueryResult,
  type SqliteDatabase as KyselySqlite,
  type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';
import * as initial from './migrations/001_initial.ts';
import * as collab from './migrations/002_collab.ts';
import * as linked from './migrations/003_linked.ts';
import * as joinNames from './migrations/004_join_names.ts';
import * as deactivation from './migrations/005_deactivation.ts';
import * as invitees from './migrations/006_invitees.ts';
import * as changeStream from './migrations/007_change_stream.ts';
import * as externalGuests from './migrations/008_external_guests.ts';
import * as consentBinding from './migrations/009_consent_binding.ts';
import * as threadsReactions from './migrations/010_threads_reactions.ts';
import * as audit from './migrations/011_audit.ts';
import * as sso from './migrations/012_sso.ts';
import * as scim from './migrations/013_scim.ts';
import * as integrations from './migrations/014_integrations.ts';
import * as recordings from './migrations/015_recordings.ts';
import * as conversationMembers from './migrations/016_conversation_members.ts';
import * as transcripts from './migrations/017_transcripts.ts';
import * as filesPresence from './migrations/018_files_presence.ts';
import * as notes from './migrations/019_notes.ts';
import * as e2ee from './migrations/020_e2ee.ts';
import * as recurrence from './migrations/021_recurrence.ts';
import * as pages from './migrations/022_pages.ts';
import * as urgentMessages from './migrations/024_urgent_messages.ts';
import * as webinars from './migrations/025_webinars.ts';
import * as phone from './migrations/026_phone.ts';
import * as registration from './migrations/027_registration.ts';
import * as streams from './migrations/028_streams.ts';
import * as calendarSync from './migrations/029_calendar_sync.ts';
import * as experts from './migrations/031_experts.ts';
import * as whiteboards from './migrations/032_whiteboards.ts';
import * as linkedByExternalId from './migrations/035_linked_by_external_id.ts';
import * as attendanceIndexes from './migrations/036_attendance_indexes.ts';
import * as openVisits from './migrations/037_open_visits.ts';
import * as googleSeries from './migrations/038_google_series.ts';
import * as googleExdates from './migrations/039_google_exdates.ts';
import * as reconcileRooms from './migrations/041_reconcile_rooms.ts';
import * as chosenStatus from './migrations/044_chosen_status.ts';
import * as rosterVersion from './migrations/045_roster_version.ts';
import * as calendarNotifications from './migrations/046_calendar_notifications.ts';
import * as directorySeq from './migrations/047_directory_seq.ts';
import * as reactionLookup from './migrations/048_reaction_lookup.ts';
import * as searchIndex from './migrations/049_search_index.ts';
import * as usersByKeys from './migrations/050_users_by_keys.ts';
import * as presenceByOrg from './migrations/051_presence_by_org.ts';
import * as webhookMessageCursor from './migrations/052_webhook_message_cursor.ts';
import * as livekitWebhooks from './migrations/053_livekit_webhooks.ts';
import * as lobbyWaiting from './migrations/054_lobby_waiting.ts';
import * as decisionSeq from './migrations/055_decision_seq.ts';
import * as recordingInstance from './migrations/056_recording_instance.ts';
import * as streamInstance from './migrations/057_stream_instance.ts';
import * as notesDue from './migrations/058_notes_due.ts';
import { namingPool, statementNamer } from './namedStatements.ts';
import type { Database } from './schema.ts';
import { cachingStatements } from './statementCache.ts';

/** Versioned migrations in order; the migrator records which ran in the database itself. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_initial': initial,
  '002_collab': collab,
  '003_linked': linked,
  '004_join_names': joinNames,
  '005_deactivation': deactivation,
  '006_invitees': invitees,
  '007_change_stream': changeStream,
  '008_external_guests': externalGuests,
  '009_consent_binding': consentBinding,
  '010_threads_reactions': threadsReactions,
  '011_audit': audit,
  '012_sso': sso,
  '013_scim': scim,
  '014_integrations': integrations,
  '015_recordings': recordings,
  '016_conversation_members': conversationMembers,
  '017_transcripts': transcripts,
  '018_files_presence': filesPresence,
  '019_notes': notes,
  '020_e2ee': e2ee,
  '021_recurrence': recurrence,
  '022_pages': pages,
  '024_urgent_messages': urgentMessages,
  '025_webinars': webinars,
  '026_phone': phone,
  '027_registration': registration,
  '028_streams': streams,
  '029_calendar_sync': calendarSync,
  '031_experts': experts,
  '032_whiteboards': whiteboards,
  '035_linked_by_external_id': linkedByExternalId,
  '036_attendance_indexes': attendanceIndexes,
  '037_open_visits': openVisits,
  '038_google_series': googleSeries,
  '039_google_exdates': googleExdates,
  '041_reconcile_rooms': reconcileRooms,
  '044_chosen_status': chosenStatus,
  '045_roster_version': rosterVersion,
  '046_calendar_notifications': calendarNotifications,
  '047_directory_seq': directorySeq,
  '048_reaction_lookup': reactionLookup,
  '049_search_index': searchIndex,
  '050_users_by_keys': usersByKeys,
  '051_presence_by_org': presenceByOrg,
  '052_webhook_message_cursor': webhookMessageCursor,
  '053_livekit_webhooks': livekitWebhooks,
  '054_lobby_waiting': lobbyWaiting,
  '055_decision_seq': decisionSeq,
  '056_recording_instance': recordingInstance,
  '057_stream_instance': streamInstance,
  '058_notes_due': notesDue,
};

export type Db = Kysely<Database>;

/** Whether a database location is a PostgreSQL connection URL rather than a SQLite file path. */
export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//.test(location);

/**
 * PostgreSQL's 64-bit integers (`bigint` columns, `count(*)`) and `numeric` (`sum()` of them)
 * come back as numbers, as SQLite's do: the counts and offsets they hold stay far below 2^53.
 */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC
      ? Number
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** How an instance talks to PostgreSQL (SQLite has one connection and caches its statements itself). */
export type PostgresOptions = {
  /** Connections each instance keeps open (10 unless given). */
  readonly poolSize?: number;
  /** Whether frequent statements are kept prepared by name (namedStatements.ts); on unless false. */
  readonly namedStatements?: boolean;
};

const DEFAULT_POOL_SIZE = 10;

/** Runs a compiled statement at once and answers as Kysely's SQLite driver does. */
export type Execute = (query: CompiledQuery) => QueryResult<unknown>;

/**
 * SQLite's one connection, for work that runs its statements synchronously: `hold(work)` waits
 * until nothing else holds the connection (Kysely's queries and transactions hold it, and the
 * checkpointer's restarts), then runs `work` with `execute`, in one turn of the event loop, and
 * lets the connection go. A transaction `work` begins it must end before it returns.
 * Kysely's layers make several promises a statement; a chat append is several statements a
 * message (store/chat.ts, BENCHMARKS.md, B2).
 */
export type HeldSqlite = { hold<T>(work: (execute: Execute) => T): Promise<T> };

const heldSqlites = new WeakMap<Db, HeldSqlite>();

/** `db`'s connection for synchronous work when `db` is SQLite (opened by `openDatabase`); undefined on PostgreSQL. */
export const heldSqlite = (db: Db): HeldSqlite | undefined => heldSqlites.get(db);

function executor(database: KyselySqlite): Execute {
  return ({ sql: text, parameters }) => {
    const statement = database.prepare(text);
    if (statement.reader) return { rows: statement.all(parameters) };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  };
}

function sqliteDialect(path: string): { readonly dialect: Dialect; readonly execute: Execute } {
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  // In WAL mode NORMAL never corrupts the database; it syncs at checkpoints instead of on every
  // commit, which is what lets chat writes keep up (see BENCHMARKS.md, B2).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const database = cachingStatements(sqlite);
  const execute = executor(database);
  if (path === ':memory:') return { dialect: new SqliteDialect({ database }), execute };
  // Checkpoints happen in a worker thread; the connection's own automatic one is only a fallback.
  sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
  const checkpointer = startCheckpointer({
    file: path,
    driver: createRequire(import.meta.url).resolve('better-sqlite3'),
    onError: (line) => process.emitWarning(line),
    restartAtPages: RESTART_AT_PAGES,
  });
  const dialect = new PausingSqliteDialect(
    {
      database: {
        prepare: (sql) => database.prepare(sql),
        close() {
          checkpointer.stop();
          database.close();
        },
      },
    },
    checkpointer,
  );
  return { dialect, execute };
}

/**
 * Kysely's SQLite driver with each use of the connection (a query, a transaction) bracketed by
 * the checkpointer's `enter` and `leave`, so a restart of the log waits for the connection to be
 * put down, and the connection's next use waits for the restart (a promise: the event loop goes on).
 */
class PausingSqliteDriver extends SqliteDriver {
  readonly #checkpointer: Checkpointer;

  constructor(config: SqliteDialectConfig, checkpointer: Checkpointer) {
    super(config);
    this.#checkpointer = checkpointer;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const entering = this.#checkpointer.enter();
    if (entering !== undefined) await entering;
    try {
      return await super.acquireConnection();
    } catch (e) {
      this.#checkpointer.leave();
      throw e;
    }
  }

  override async releaseConnection(): Promise<void> {
    try {
      await super.releaseConnection();
    } finally {
      this.#checkpointer.leave();
    }
  }
}

class PausingSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #checkpointer: Checkpointer;

  constructor(config: SqliteDialectConfig, checkpointer: Checkpointer) {
    super(config);
    this.#config = config;
    this.#checkpointer = checkpointer;
  }

  override createDriver(): Driver {
    return new PausingSqliteDriver(this.#config, this.#checkpointer);
  }
}

function postgresDialect(
  url: string,
  { poolSize = DEFAULT_POOL_SIZE, namedStatements = true }: PostgresOptions,
): Dialect {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: pgTypes });
  // An idle connection the server ended (a restart, a failover) is dropped from the pool and the
  // next query opens a new one; its error needs no handling beyond not crashing the process.
  pool.on('error', () => {});
  return new PostgresDialect({ pool: namedStatements ? namingPool(pool, statementNamer()) : pool });
}

/**
 * Opens the store and brings it to the newest schema. `location` is a PostgreSQL URL
 * (`postgres://user:password@host/db`, several instances share it) or a SQLite file path, opened
 * (created if needed) in WAL mode; `:memory:` works for tests that need no file. The same
 * migrations run on both; on PostgreSQL the migrator holds a lock, so instances starting
 * together migrate once.
 */
export async function openDatabase(location: string, postgres: PostgresOptions = {}): Promise<Db> {
  const sqlite = isPostgresUrl(location) ? undefined : sqliteDialect(location);
  const db = new Kysely<Database>({ dialect: sqlite?.dialect ?? postgresDialect(location, postgres) });
  if (sqlite !== undefined) {
    const { execute } = sqlite;
    heldSqlites.set(db, { hold: (work) => db.connection().execute(async () => work(execute)) });
  }
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(String(error));
  }
  return db;
}

export async function pingDatabase(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

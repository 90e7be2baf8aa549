import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from './store/db.ts';

/**
 * Databases for tests of the PostgreSQL store, in the run's throw-away server (`inject('postgres')`).
 * The migrations run once, into a template; each test copies it (`CREATE DATABASE … TEMPLATE`,
 * a few milliseconds) and so starts from an empty, migrated store of its own.
 */

const TEMPLATE = 'tandem_template';
/** Any constant: the advisory lock that lets one test file at a time build the template. */
const TEMPLATE_LOCK = 0x7a4d;

async function withAdmin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

function urlOf(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

let templateReady: Promise<void> | undefined;

function ensureTemplate(adminUrl: string): Promise<void> {
  templateReady ??= withAdmin(adminUrl, async (client) => {
    await client.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const found = await client.query('select 1 from pg_database where datname = $1', [TEMPLATE]);
      if (found.rowCount !== 0) return;
      await client.query(`create database ${TEMPLATE}`);
      const db = await openDatabase(urlOf(adminUrl, TEMPLATE), { poolSize: 1 });
      await db.destroy();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
  return templateReady;
}

export type TestPostgresDatabase = {
  readonly url: string;
  drop(): Promise<void>;
};

/** A new database holding the migrated, empty schema. */
export async function freshPostgresDatabase(adminUrl: string): Promise<TestPostgresDatabase> {
  await ensureTemplate(adminUrl);
  const name = `t_${randomUUID().replaceAll('-', '')}`;
  await withAdmin(adminUrl, (client) => client.query(`create database ${name} template ${TEMPLATE}`));
  return {
    url: urlOf(adminUrl, name),
    drop: () =>
      withAdmin(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}

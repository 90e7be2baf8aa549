import type { TestProject } from 'vitest/node';
import { postgresAvailable, startPostgres } from './postgres.ts';

/**
 * vitest globalSetup: one throw-away PostgreSQL for the whole run (tests make their own
 * databases in it), or `null` where PostgreSQL is not installed and `npm run setup` could not
 * install it: tests for the PostgreSQL store then say so by being skipped. TANDEM_TEST_STORE=postgres
 * puts every test server of the run on PostgreSQL (`inject('testStore')`, else the project's
 * `store`: vitestConfig.ts), to run a suite on it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env['TANDEM_TEST_STORE'] === 'postgres') project.provide('testStore', 'postgres');
  if (!postgresAvailable()) {
    project.provide('postgres', null);
    return async () => {};
  }
  const postgres = await startPostgres();
  project.provide('postgres', postgres.url);
  return () => postgres.stop();
}

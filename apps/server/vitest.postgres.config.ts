import { defineConfig } from 'vitest/config';
import { testProject } from '../../packages/devstack/src/vitestConfig.ts';

/**
 * The HTTP and WebSocket suites whose behaviour rests most on the store (chat, conversations,
 * threads, files, search, presence, people, scoping, webhooks out and in, lobbies left behind, notes due at an end, calls on the socket), run again
 * with every test server on PostgreSQL (`npm test` runs both this and the SQLite project; the
 * store's own tests and chat's races run on both dialects in it, the cluster's on PostgreSQL).
 * Every suite: `TANDEM_TEST_STORE=postgres npx vitest run` (about 16 minutes on two cores).
 */
export default defineConfig(
  testProject({
    name: 'server-postgres',
    livekit: true,
    postgres: true,
    store: 'postgres',
    testTimeoutMs: 30_000,
    include: [
      'src/chat.test.ts',
      'src/conversations.test.ts',
      'src/threads.test.ts',
      'src/files.test.ts',
      'src/search.test.ts',
      'src/presence.test.ts',
      'src/people.test.ts',
      'src/scoping.test.ts',
      'src/integrations.test.ts',
      'src/socketCalls.test.ts',
      'src/typing.test.ts',
      'src/meetings.test.ts',
      'src/polls.test.ts',
      'src/guests.test.ts',
      'src/livekitWebhooks.test.ts',
      'src/lobbyAbandon.test.ts',
      'src/notesDue.test.ts',
    ],
  }),
);

import { migration001 } from './001_initial.ts';
import { migration002 } from './002_send_failures.ts';
import { migration003 } from './003_read_positions.ts';
import { migration004 } from './004_drop_recent_index.ts';
import { migration005 } from './005_threads_reactions.ts';
import { migration006 } from './006_private_conversations.ts';
import { migration007 } from './007_chat_files.ts';
import { migration008 } from './008_fts_index_by_statement.ts';
import { migration009 } from './009_encrypted_chat.ts';
import { migration010 } from './010_urgent_messages.ts';
import { migration011 } from './011_transcripts.ts';
import { migration012 } from './012_directory_records.ts';
import type { Migration } from './types.ts';

/** Every migration, in order. Add a file per step and append it here; never edit a shipped one. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
];
export type { Migration } from './types.ts';

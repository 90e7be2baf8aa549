import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate.ts';
import { reads, writes } from '../queries.ts';
import { useTempFolder } from '../testing.ts';
import { migration011 } from './011_transcripts.ts';

const tempDir = useTempFolder();

describe('migration 011', () => {
  it('adds searchable transcripts beside the messages cached before it', () => {
    const db = new Database(path.join(tempDir(), `m011-${Math.random()}.db`));
    expect(migrate(db, migration011.version - 1)).toBe(10);
    db.prepare("INSERT INTO conversations (id, kind, name, synced_seq) VALUES ('c', 'channel', 'C', 1)").run();
    db.prepare(
      "INSERT INTO messages (client_id, conversation_id, seq, author_id, body, sent_at) VALUES ('m1', 'c', 1, 'u1', 'hello', 't')",
    ).run();
    expect(migrate(db, 11)).toBe(11);
    expect(reads.messages(db, { conversationId: 'c', limit: 5 }).map((m) => m.body)).toEqual(['hello']);
    writes.keepTranscript(db, {
      meetingId: 'meet',
      meetingTitle: 'Standup',
      segments: [
        {
          id: 's1',
          meetingId: 'meet',
          speaker: { userId: 'u1', name: 'Ada' },
          startedAt: '2026-11-26T10:00:00.000Z',
          endedAt: '2026-11-26T10:00:02.000Z',
          text: 'hello from the transcript',
        },
      ],
      at: '2026-11-26T10:00:00.000Z',
    });
    expect(reads.searchTranscripts(db, { query: 'hello', limit: 5 }).map((h) => h.segment.text)).toEqual([
      'hello from the transcript',
    ]);
    db.close();
  });
});

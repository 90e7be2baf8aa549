import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate.ts';
import { reads, writes } from '../queries.ts';
import { useTempFolder } from '../testing.ts';
import { migration009 } from './009_encrypted_chat.ts';

const tempDir = useTempFolder();

describe('migration 009', () => {
  it('adds the encrypted meetings’ chat: kept once per author and id, in order, and forgotten at sign-out', () => {
    const db = new Database(path.join(tempDir(), `m009-${Math.random()}.db`));
    expect(migrate(db, migration009.version - 1)).toBe(8);
    expect(migrate(db, 9)).toBe(9);
    const message = (id: string, from: string, text: string) => ({
      meetingId: 'm-1',
      message: { id, from, name: from.toUpperCase(), text, sentAt: '2026-12-03T07:00:00.000Z' },
    });
    writes.keepEncryptedChat(db, message('1', 'ada', 'first'));
    writes.keepEncryptedChat(db, message('1', 'grace', 'second'));
    writes.keepEncryptedChat(db, message('1', 'ada', 'first, again'));
    writes.keepEncryptedChat(db, { ...message('2', 'ada', 'elsewhere'), meetingId: 'm-2' });
    expect(reads.encryptedChat(db, 'm-1').map((m) => `${m.from}:${m.text}`)).toEqual(['ada:first', 'grace:second']);
    // Sign-out's query is the newest schema's: it forgets what later migrations added too.
    migrate(db);
    writes.clearAccount(db, { keepKeys: [] });
    expect(reads.encryptedChat(db, 'm-1')).toEqual([]);
    db.close();
  });
});

import { describe, expect, it } from 'vitest';
import { CreateMeetingRequestSchema, JoinRequestSchema, MAX_INVITEES, MeetingSchema } from './meetings.ts';

describe('JoinRequestSchema', () => {
  it('takes a display name trimmed, and none at all', () => {
    expect(JoinRequestSchema.parse({ displayName: '  Ada L.  ' })).toEqual({ displayName: 'Ada L.' });
    expect(JoinRequestSchema.parse({ displayName: 'Zoë 🎧 Ünal' })).toEqual({ displayName: 'Zoë 🎧 Ünal' });
    expect(JoinRequestSchema.parse({ displayName: 'x'.repeat(64) }).displayName).toHaveLength(64);
    expect(JoinRequestSchema.parse({})).toEqual({});
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['too long', 'x'.repeat(65)],
    ['a newline inside', 'Ada\nHost'],
    ['a NUL', 'Ada\u0000'],
    ['an escape sequence', 'Ada\u001b[31m'],
    ['a C1 control', 'Ada\u0085'],
    ['not a string', 42],
  ])('refuses a display name that is %s', (_, displayName) => {
    expect(JoinRequestSchema.safeParse({ displayName }).success).toBe(false);
  });
});

/** The n-th of a run of distinct, valid UUIDs. */
const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('invitees', () => {
  it('takes up to the limit of distinct people, and names the entry invited twice', () => {
    const ids = Array.from({ length: MAX_INVITEES }, (_, i) => uuid(i));
    expect(CreateMeetingRequestSchema.parse({ title: 'All hands', invitees: ids }).invitees).toEqual(ids);
    expect(CreateMeetingRequestSchema.safeParse({ title: 'x', invitees: [...ids, uuid(MAX_INVITEES)] }).success).toBe(
      false,
    );
    const [a = '', b = ''] = ids;
    const twice = CreateMeetingRequestSchema.safeParse({ title: 'x', invitees: [a, b, a] });
    expect(twice.success ? [] : twice.error.issues.map((i) => i.path)).toEqual([['invitees', 2]]);
  });

  it('reads a meeting cached before invitations existed as inviting nobody', () => {
    const cached = {
      id: uuid(1),
      organisationId: uuid(2),
      title: 'Old',
      ownerId: uuid(3),
      personal: false,
      startsAt: null,
      endsAt: null,
      status: 'scheduled',
      locked: false,
      settings: { lobby: false, screenShare: 'everyone', chat: true, e2ee: false },
      joinCode: 'abcd1234',
      joinUrl: 'tandem://join/abcd1234',
      conversationId: uuid(4),
      createdAt: '2026-11-26T10:00:00.000Z',
      updatedAt: '2026-11-26T10:00:00.000Z',
    };
    expect(MeetingSchema.parse(cached).invitees).toEqual([]);
    // …and, cached before https join links, with none (screens show the app's link then).
    expect(MeetingSchema.parse(cached).webJoinUrl).toBe('');
  });
});

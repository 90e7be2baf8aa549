import { randomUUID } from 'node:crypto';
import type { Conversation, User } from '@tandem/shared';
import type { Store } from './index.ts';

/** For the store's tests: a conversation of `user`'s organisation, not stored (a channel, or `meetingId`'s chat). */
export const conversationOf = (user: User, meetingId: string | null, createdAt: string): Conversation => ({
  id: randomUUID(),
  organisationId: user.organisationId,
  kind: meetingId === null ? 'channel' : 'meeting',
  meetingId,
  name: 'c',
  private: false,
  archivedAt: null,
  memberIds: null,
  createdBy: null,
  latestSeq: 0,
  createdAt,
});

/** For the store's tests: an organisation of one owner, named `tag`, with a public channel, stored. */
export async function orgWithChannel(
  store: Store,
  tag: string,
  createdAt: string,
): Promise<{ user: User; channel: Conversation }> {
  const user: User = {
    id: `${tag}-user`,
    organisationId: `${tag}-org`,
    email: `${tag}@tandem.example`,
    name: tag,
    role: 'owner',
    status: 'active',
    createdAt,
  };
  await store.identity.createOrganisation({ id: user.organisationId, name: tag, createdAt }, user, 'hash');
  const channel = conversationOf(user, null, createdAt);
  await store.conversations.insert(channel, {}, [], createdAt);
  return { user, channel };
}

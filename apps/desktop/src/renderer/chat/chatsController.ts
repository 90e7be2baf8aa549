import type { ConversationSummary, MemberView, TandemClient, UpdateConversationRequest } from '@tandem/shared';
import { createContext, useContext } from 'react';
import { useAppStore } from '../store/appStore.ts';

/**
 * What direct chats, groups and private channels ask of main (online only, except receipts,
 * which the cache answers). Each answer goes into the app store as main's pushes do.
 */
export type ChatsController = {
  /** The direct chat with this person (started once per pair); answers its id. */
  startDirect(userId: string): Promise<string>;
  createGroup(memberIds: readonly string[], name: string): Promise<string>;
  update(conversationId: string, patch: UpdateConversationRequest): Promise<void>;
  members(conversationId: string): Promise<readonly MemberView[]>;
  addMembers(conversationId: string, userIds: readonly string[], history: boolean): Promise<void>;
  removeMember(conversationId: string, userId: string): Promise<void>;
  leave(conversationId: string): Promise<void>;
  join(conversationId: string): Promise<void>;
  loadReceipts(conversationId: string): Promise<void>;
};

type ChatsClient = Pick<
  TandemClient,
  | 'chatStartDirect'
  | 'chatCreateGroup'
  | 'chatUpdate'
  | 'chatMembers'
  | 'chatAddMembers'
  | 'chatRemoveMember'
  | 'chatLeave'
  | 'chatJoin'
  | 'chatReceipts'
>;

export function createChatsController(client: ChatsClient): ChatsController {
  const s = () => useAppStore.getState();
  const received = (conversation: ConversationSummary): string => {
    s().receiveConversations([conversation]);
    return conversation.id;
  };
  return {
    startDirect: async (userId) => received(await client.chatStartDirect({ userId })),
    createGroup: async (memberIds, name) =>
      received(
        await client.chatCreateGroup(
          name.trim() === '' ? { memberIds: [...memberIds] } : { memberIds: [...memberIds], name: name.trim() },
        ),
      ),
    update: async (conversationId, patch) => void received(await client.chatUpdate({ conversationId, patch })),
    members: async (conversationId) => (await client.chatMembers({ conversationId })).members,
    addMembers: async (conversationId, userIds, history) =>
      void received(await client.chatAddMembers({ conversationId, userIds: [...userIds], history })),
    removeMember: async (conversationId, userId) => {
      await client.chatRemoveMember({ conversationId, userId });
    },
    leave: async (conversationId) => {
      await client.chatLeave({ conversationId });
    },
    join: async (conversationId) => void received(await client.chatJoin({ conversationId })),
    loadReceipts: async (conversationId) =>
      s().setReceipts(conversationId, (await client.chatReceipts({ conversationId })).receipts),
  };
}

/** Provided by the composition root (`main.tsx`); a test may provide its own. */
export const ChatsControllerContext = createContext<ChatsController | undefined>(undefined);

export function useChatsController(): ChatsController {
  const controller = useContext(ChatsControllerContext);
  if (controller === undefined) throw new Error('ChatsControllerContext is not provided');
  return controller;
}

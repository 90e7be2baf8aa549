import { describe, expect, it } from 'vitest';
import {
  ChatEventSchema,
  ClientMessageSchema,
  HistoryQuerySchema,
  ROUTES,
  ServerMessageSchema,
  openApiDocument,
} from './index.ts';

const id = '0b3c2a8e-5a3e-4a57-9f0e-1b7d1c2f3a4b';

describe('api contract', () => {
  it('generates an OpenAPI path for every route', () => {
    const doc = openApiDocument('test') as { paths: Record<string, Record<string, { operationId: string }>> };
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((o) => o.operationId));
    expect(operations.sort()).toEqual(Object.keys(ROUTES).sort());
    expect(doc.paths['/meetings/{meetingId}/join']?.['post']).toBeDefined();
  });

  it('parses history queries from strings and caps the page', () => {
    expect(HistoryQuerySchema.parse({ since: '41' })).toEqual({ since: 41, limit: 200 });
    expect(HistoryQuerySchema.safeParse({ since: '-1' }).success).toBe(false);
    expect(HistoryQuerySchema.safeParse({ limit: '100000' }).success).toBe(false);
  });

  it('tells chat events apart by type', () => {
    const base = {
      conversationId: id,
      seq: 3,
      clientId: id,
      messageId: id,
      authorId: id,
      createdAt: '2026-11-26T10:00:00.000Z',
    };
    expect(ChatEventSchema.parse({ ...base, type: 'delete' }).type).toBe('delete');
    expect(ChatEventSchema.safeParse({ ...base, type: 'edit' }).success).toBe(false);
  });

  it('refuses unknown or malformed WebSocket messages', () => {
    expect(ClientMessageSchema.safeParse({ type: 'resume', cursor: 0 }).success).toBe(true);
    // null: a client without a cache, live from the newest event.
    expect(ClientMessageSchema.safeParse({ type: 'resume', cursor: null }).success).toBe(true);
    for (const cursor of [-1, 1.5, '3', undefined]) {
      expect(ClientMessageSchema.safeParse({ type: 'resume', cursor }).success).toBe(false);
    }
    expect(ClientMessageSchema.safeParse({ type: 'resume', cursor: 0, conversations: [] }).success).toBe(false);
    expect(ClientMessageSchema.safeParse({ type: 'shout' }).success).toBe(false);
    expect(ServerMessageSchema.safeParse({ type: 'resumed', cursor: 7, reset: false }).success).toBe(true);
    // Every chat event on the stream says where it stands in it.
    const event = { type: 'delete', conversationId: id, seq: 1, clientId: id, messageId: id, authorId: id };
    const chat = { type: 'chat.event', event: { ...event, createdAt: '2026-01-01T00:00:00.000Z' } };
    expect(ServerMessageSchema.safeParse(chat).success).toBe(false);
    expect(ServerMessageSchema.safeParse({ ...chat, offset: 1 }).success).toBe(true);
  });
});

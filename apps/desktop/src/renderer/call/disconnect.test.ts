import { DisconnectReason } from 'livekit-client';
import { describe, expect, it } from 'vitest';
import { disconnectMessage } from './disconnect.ts';

describe('disconnectMessage', () => {
  it('tells a removed participant who removed them', () => {
    expect(disconnectMessage(DisconnectReason.PARTICIPANT_REMOVED)).toMatch(/host removed you/);
  });

  it('says the meeting ended when the room is gone', () => {
    expect(disconnectMessage(DisconnectReason.ROOM_DELETED)).toBe('The meeting has ended.');
  });

  it('asks to join again after a lost connection, and never shows a bare number', () => {
    expect(disconnectMessage(DisconnectReason.CONNECTION_TIMEOUT)).toMatch(/Join again/);
    expect(disconnectMessage(undefined)).not.toMatch(/\d/);
  });
});

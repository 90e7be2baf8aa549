import { describe, expect, it } from 'vitest';
import { turnServers } from './probes.ts';

describe('the TURN servers the relay check tries', () => {
  it('keeps the turn: and turns: URLs LiveKit offers, with their credentials', () => {
    expect(
      turnServers([
        {
          urls: ['turn:203.0.113.7:3478?transport=udp', 'turns:turn.example.com:443?transport=tcp'],
          username: 'user',
          credential: 'secret',
        },
      ]),
    ).toEqual([
      {
        urls: ['turn:203.0.113.7:3478?transport=udp', 'turns:turn.example.com:443?transport=tcp'],
        username: 'user',
        credential: 'secret',
      },
    ]);
  });

  it('finds none where LiveKit offers STUN only (its TURN is off), so the check says none is offered', () => {
    expect(turnServers([{ urls: ['stun:stun.l.google.com:19302'], username: '', credential: '' }])).toEqual([]);
    expect(turnServers([])).toEqual([]);
  });

  it('leaves the STUN URLs out of a server that lists both', () => {
    expect(
      turnServers([{ urls: ['stun:203.0.113.7:3478', 'turn:203.0.113.7:3478'], username: 'u', credential: 'c' }]),
    ).toEqual([{ urls: ['turn:203.0.113.7:3478'], username: 'u', credential: 'c' }]);
  });
});

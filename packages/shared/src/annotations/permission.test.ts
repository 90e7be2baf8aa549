import { describe, expect, it } from 'vitest';
import { clearAll, createElement, erase } from './edit.ts';
import { admitRemote, applyPolicy, canAnnotate, initialPolicy, isModerator, setAllowed } from './permission.ts';
import { reconcile, type Scene } from './reconcile.ts';

const EMPTY: Scene = new Map();
const draft = { kind: 'arrow', color: '#aa0000', strokeWidth: 0.004, from: [0, 0], to: [1, 1] } as const;
const bobs = createElement(EMPTY, draft, 'b1', { authorId: 'bob' });
const scene = reconcile(EMPTY, [bobs]);
const bob = { id: 'bob', isHost: false };
const carol = { id: 'carol', isHost: false };
const host = { id: 'hana', isHost: true };

describe('annotation policy', () => {
  it('starts off; the sharer may always draw, others once allowed', () => {
    const policy = initialPolicy('sam');
    expect([canAnnotate(policy, 'sam'), canAnnotate(policy, 'bob')]).toEqual([true, false]);
    expect(canAnnotate(setAllowed(policy, true), 'bob')).toBe(true);
  });

  it('takes changes only from the sharer and only when newer', () => {
    const policy = initialPolicy('sam');
    expect(applyPolicy(policy, { allowed: true, version: 1 }, 'bob').allowed).toBe(false);
    const on = applyPolicy(policy, { allowed: true, version: 2 }, 'sam');
    expect(on.allowed).toBe(true);
    expect(applyPolicy(on, { allowed: false, version: 1 }, 'sam').allowed).toBe(true);
  });

  it('makes the host and the sharer moderators', () => {
    const policy = initialPolicy('sam');
    expect([
      isModerator(policy, host),
      isModerator(policy, { id: 'sam', isHost: false }),
      isModerator(policy, bob),
    ]).toEqual([true, true, false]);
  });
});

describe('admitRemote', () => {
  const allowed = setAllowed(initialPolicy('sam'), true);

  it('admits an author’s own drawing only while annotation is allowed', () => {
    const fresh = createElement(scene, draft, 'b2', { authorId: 'bob' });
    expect(admitRemote(scene, [fresh], bob, allowed)).toEqual([fresh]);
    expect(admitRemote(scene, [fresh], bob, initialPolicy('sam'))).toEqual([]);
    expect(admitRemote(scene, erase(scene, ['b1']), bob, initialPolicy('sam'))).toHaveLength(1);
  });

  it('refuses drawing in someone else’s name and taking over their ids', () => {
    const forged = createElement(scene, draft, 'x', { authorId: 'bob' });
    expect(admitRemote(scene, [forged], carol, allowed)).toEqual([]);
    const hijack = { ...bobs, authorId: 'carol', version: 5 };
    expect(admitRemote(scene, [hijack], carol, allowed)).toEqual([]);
  });

  it('lets moderators tombstone anyone’s element, and nobody else', () => {
    expect(admitRemote(scene, clearAll(scene), host, allowed)).toHaveLength(1);
    expect(admitRemote(scene, clearAll(scene), carol, allowed)).toEqual([]);
  });

  it('trusts a snapshot only from the sharer', () => {
    const others = [createElement(scene, draft, 'c1', { authorId: 'carol' })];
    expect(admitRemote(EMPTY, others, { id: 'sam', isHost: false }, allowed, { snapshot: true })).toEqual(others);
    expect(admitRemote(EMPTY, others, bob, allowed, { snapshot: true })).toEqual([]);
  });
});

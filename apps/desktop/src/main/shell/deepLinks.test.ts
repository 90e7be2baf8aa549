import type { IpcEvent } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { createDeepLinkRouter, deepLinkFromArgv } from './deepLinks.ts';

describe('deepLinkFromArgv', () => {
  it('finds the join link among the arguments of a second instance', () => {
    expect(deepLinkFromArgv(['/usr/bin/tandem', '--flag', 'tandem://join/abcd1234'])).toEqual({
      kind: 'link',
      link: { kind: 'join', code: 'abcd1234' },
    });
    expect(deepLinkFromArgv(['/usr/bin/tandem', 'https://meet.google.com/x'])).toBeNull();
    expect(deepLinkFromArgv(['/usr/bin/tandem'])).toBeNull();
  });

  it('refuses a tandem: link it cannot act on, keeping it as text to show', () => {
    expect(deepLinkFromArgv(['/usr/bin/tandem', 'tandem://join/%%%'])).toEqual({
      kind: 'refused',
      link: 'tandem://join/%%%',
    });
    expect(deepLinkFromArgv(['TANDEM://delete/everything'])).toEqual({
      kind: 'refused',
      link: 'TANDEM://delete/everything',
    });
  });
});

function router(signedIn = true) {
  const state = { signedIn };
  const emitted: { event: IpcEvent; payload: unknown }[] = [];
  const links = createDeepLinkRouter({
    signedIn: () => state.signedIn,
    emit: (event, payload) => void emitted.push({ event, payload }),
  });
  return { links, emitted, state };
}

describe('the deep-link router', () => {
  it('holds a link that launched the app until the renderer takes, then pushes live', () => {
    const { links, emitted } = router();
    links.receive(['/usr/bin/tandem', 'tandem://join/first']);
    links.receive(['/usr/bin/tandem']);
    expect(emitted).toEqual([]);
    expect(links.take()).toEqual({ join: { code: 'first' }, refused: null });
    expect(links.take()).toEqual({ join: null, refused: null });
    links.receive(['tandem://join/second']);
    expect(emitted).toEqual([{ event: 'deepLink:join', payload: { code: 'second' } }]);
  });

  it('keeps a join while nobody is signed in and gives it on the first take after sign-in', () => {
    const { links, emitted, state } = router(false);
    expect(links.take()).toEqual({ join: null, refused: null });
    links.receive(['tandem://join/older']);
    links.receive(['tandem://join/newest']);
    expect(emitted).toEqual([]);
    expect(links.take()).toEqual({ join: null, refused: null });
    state.signedIn = true;
    expect(links.take()).toEqual({ join: { code: 'newest' }, refused: null });
    expect(links.take()).toEqual({ join: null, refused: null });
  });

  it('reports a malformed link and leaves a held join alone', () => {
    const { links, emitted, state } = router(false);
    links.receive(['tandem://join/held-one']);
    links.receive(['tandem://join/../../etc']);
    // Before the renderer listens, the refusal waits too.
    expect(links.take()).toEqual({ join: null, refused: { link: 'tandem://join/../../etc' } });
    links.receive(['tandem:nonsense']);
    expect(emitted).toEqual([{ event: 'deepLink:refused', payload: { link: 'tandem:nonsense' } }]);
    state.signedIn = true;
    expect(links.take()).toEqual({ join: { code: 'held-one' }, refused: null });
  });
});

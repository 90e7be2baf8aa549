import { Suspense, type ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { preloadable } from './preloadable.tsx';

function Greeting({ name }: { readonly name: string }) {
  return <p>Hello {name}</p>;
}

const page = (content: ReactElement) => renderToString(<Suspense fallback={<p>Loading</p>}>{content}</Suspense>);

describe('preloadable screens', () => {
  it('suspends (shows the fallback) while its code has not been fetched', () => {
    const screen = preloadable(async () => Greeting);
    expect(page(<screen.Component name="Ada" />)).toContain('Loading');
  });

  it('renders at once, without suspending, once preloaded', async () => {
    const screen = preloadable(async () => Greeting);
    await screen.preload();
    expect(page(<screen.Component name="Ada" />)).toContain('Hello <!-- -->Ada');
  });

  it('fetches once however often it is preloaded, and again after a failed fetch', async () => {
    let fetches = 0;
    const screen = preloadable(async () => {
      fetches += 1;
      if (fetches === 1) throw new Error('offline');
      return Greeting;
    });
    await expect(screen.preload()).rejects.toThrow('offline');
    await Promise.all([screen.preload(), screen.preload()]);
    expect(fetches).toBe(2);
  });
});

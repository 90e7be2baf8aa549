import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { preloadable } from './preloadable.tsx';

function Greeting({ name }: { readonly name: string }) {
  return <p>Hello {name}</p>;
}

const loading = <p>Loading</p>;

describe('preloadable screens', () => {
  it('shows its fallback while its code has not been fetched, without suspending (no Suspense boundary needed)', () => {
    const screen = preloadable(async () => Greeting, loading);
    expect(renderToString(<screen.Component name="Ada" />)).toContain('Loading');
  });

  it('renders at once, without suspending, once preloaded', async () => {
    const screen = preloadable(async () => Greeting, loading);
    await screen.preload();
    expect(renderToString(<screen.Component name="Ada" />)).toContain('Hello <!-- -->Ada');
  });

  it('fetches once however often it is preloaded, and again after a failed fetch', async () => {
    let fetches = 0;
    const screen = preloadable(async () => {
      fetches += 1;
      if (fetches === 1) throw new Error('offline');
      return Greeting;
    }, loading);
    await expect(screen.preload()).rejects.toThrow('offline');
    await Promise.all([screen.preload(), screen.preload()]);
    expect(fetches).toBe(2);
  });
});

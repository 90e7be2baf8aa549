import { lazy, useState, type ComponentType } from 'react';

/**
 * A screen whose code loads when first needed, and can be fetched ahead of time (while a guest
 * types a name, on pre-join, in the lobby). Once fetched, it renders without suspending: React
 * keeps a suspended screen's fallback up for at least 300 ms before revealing it, so a plain
 * `lazy` screen costs those 300 ms even when its module is already in memory.
 */
export function preloadable<P extends object>(
  load: () => Promise<ComponentType<P>>,
): { readonly Component: ComponentType<P>; preload(): Promise<void> } {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const fetchOnce = (): Promise<ComponentType<P>> =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        // A failed fetch (a network blip) may be tried again.
        loading = null;
        throw error;
      },
    ));
  const Lazy = lazy(async () => ({ default: await fetchOnce() }));
  function Preloaded(props: P) {
    // Chosen once per mount: switching from Lazy to the loaded component would remount the screen.
    const [Component] = useState<ComponentType<P>>(() => loaded ?? Lazy);
    return <Component {...props} />;
  }
  return { Component: Preloaded, preload: async () => void (await fetchOnce()) };
}

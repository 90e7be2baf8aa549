import { useEffect, useState, type ComponentType, type ReactNode } from 'react';

/**
 * A screen whose code loads when first needed, and can be fetched ahead of time (while a guest
 * types a name, on pre-join, in the lobby). It never suspends: until its code is there it shows
 * `fallback`, then the screen. React keeps a suspended screen's fallback up for at least 300 ms
 * before revealing it, so a `lazy` screen asked for while its code is still being fetched or
 * evaluated (a guest admitted at once, right after the knock started the fetch) cost those 300 ms
 * on top of the fetch (B7).
 */
export function preloadable<P extends object>(
  load: () => Promise<ComponentType<P>>,
  fallback: ReactNode,
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
  function Preloaded(props: P) {
    const [state, setState] = useState<{ readonly component: ComponentType<P> | null; readonly error?: unknown }>(
      () => ({ component: loaded }),
    );
    const waiting = state.component === null && state.error === undefined;
    useEffect(() => {
      if (!waiting) return;
      let mounted = true;
      fetchOnce().then(
        (component) => mounted && setState({ component }),
        (error: unknown) => mounted && setState({ component: null, error }),
      );
      return () => {
        mounted = false;
      };
    }, [waiting]);
    // A failed fetch goes to the nearest error boundary, as a failed `lazy` would.
    if (state.error !== undefined) throw state.error;
    if (state.component === null) return fallback;
    const Component = state.component;
    return <Component {...props} />;
  }
  return { Component: Preloaded, preload: async () => void (await fetchOnce()) };
}

import { useCallback, useEffect, useState } from 'react';
import { errorText } from './errorText.ts';

/** Something read from main or the server: on its way, read, or not read and why. */
export type Loaded<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly value: T }
  | { readonly status: 'failed'; readonly message: string };

/**
 * Reads `load()` when first shown and whenever `load` changes (keep it stable with useCallback).
 * Answers what was read, `reload` to read again (Try again, or after a change elsewhere), and
 * `update` to change what was read in place with an answer the server gave (an added row).
 */
export function useLoad<T>(load: () => Promise<T>) {
  const [loaded, setLoaded] = useState<Loaded<T>>({ status: 'loading' });
  const reload = useCallback(async () => {
    try {
      setLoaded({ status: 'ready', value: await load() });
    } catch (e) {
      setLoaded({ status: 'failed', message: errorText(e) });
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const update = useCallback(
    (change: (value: T) => T) => setLoaded((l) => (l.status === 'ready' ? { ...l, value: change(l.value) } : l)),
    [],
  );
  return [loaded, reload, update] as const;
}

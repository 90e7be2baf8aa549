/**
 * lib0's `storage.js` as the SDK's bundles have it (scripts/build.ts puts it in place): in memory,
 * never the host page's localStorage. lib0 and Yjs read their debug switches (`production`,
 * `no-color`, `node_env`) from that storage as their modules load, in the drop-in script's own
 * task; in a browser the first read of localStorage loads the origin's whole storage
 * synchronously (most of that task on a busy machine: B11), and a key of the host app's own
 * of one of those names would change how Yjs behaves on its page.
 */
const values = new Map<string, string>();

export const varStorage = {
  getItem: (key: string): string | undefined => values.get(key),
  setItem: (key: string, value: string): void => void values.set(key, value),
  removeItem: (key: string): void => void values.delete(key),
};

/** No other tab shares it: nothing to hear. */
export const onChange = (): boolean => true;
export const offChange = (): boolean => true;

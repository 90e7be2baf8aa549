import type { Cluster } from './cluster.ts';

/**
 * Of `running` (work an instance's child process does: a recording, a live stream), what an
 * instance that died left: its recorder went with it, and no instance would settle it otherwise.
 * Work of no known instance (`instanceId` null: started by a version that did not say) is left.
 */
export async function orphaned<T extends { readonly instanceId: string | null }>(
  running: readonly T[],
  instances: Pick<Cluster, 'alive'>,
): Promise<T[]> {
  const owned = running.filter((r) => r.instanceId !== null);
  const alive = await instances.alive([...new Set(owned.map((r) => r.instanceId ?? ''))]);
  return owned.filter((r) => !alive.has(r.instanceId ?? ''));
}

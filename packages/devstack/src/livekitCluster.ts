import { startLivekit, type RunningLivekit } from './livekit.ts';
import { startRedis, type RunningRedis } from './redis.ts';

export type StartLivekitClusterOptions = {
  /** How many livekit-server nodes; two unless given. */
  readonly nodes?: number;
  /** URLs every node posts its webhooks to (each node posts the events of the rooms it holds). */
  readonly webhookUrls?: readonly string[];
};

export type RunningLivekitCluster = {
  /** Each node's URLs and node id, in start order; one node may be stopped on its own (`stop(true)`: it dies). */
  readonly nodes: readonly RunningLivekit[];
  /** The Redis the nodes share: where LiveKit keeps which node holds which room. */
  readonly redis: RunningRedis;
  /** Stops every node still running, then the Redis. */
  stop(): Promise<void>;
};

/**
 * Several livekit-server nodes on loopback sharing one Redis: one LiveKit cluster that places each
 * room on a node of its choosing and routes signalling and server API calls for it from any node.
 * Each node has its own ports (signalling, RTC over TCP, RTC over UDP) and the same API keys.
 */
export async function startLivekitCluster(options: StartLivekitClusterOptions = {}): Promise<RunningLivekitCluster> {
  const count = options.nodes ?? 2;
  if (!Number.isInteger(count) || count < 1) throw new Error(`a LiveKit cluster needs at least one node, not ${count}`);
  const redis = await startRedis();
  const redisAddress = `127.0.0.1:${redis.port}`;
  const started = await Promise.allSettled(
    Array.from({ length: count }, () =>
      startLivekit({
        redisAddress,
        participantsFromRoomNode: true,
        ...(options.webhookUrls === undefined ? {} : { webhookUrls: options.webhookUrls }),
      }),
    ),
  );
  const nodes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
    await redis.stop();
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed !== undefined) {
    await stop();
    throw failed.reason;
  }
  return { nodes, redis, stop };
}

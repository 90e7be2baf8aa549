import fs from 'node:fs';
import path from 'node:path';
import {
  freeTcpPort,
  logsDir,
  onFreshPorts,
  PortTaken,
  saysPortTaken,
  spawnOwned,
  startLivekitCluster,
  type LivekitInfo,
  type RunningLivekit,
  type RunningLivekitCluster,
  type Spawned,
} from '@tandem/devstack';
import { SPECIAL_PATHS } from '@tandem/shared';
import { Redis } from 'ioredis';
import { freshPostgresDatabase } from '../testDatabases.ts';
import { api, type Api } from '../testSupport.ts';

/** A coordination server in a process of its own (src/main.ts), as deployed: what a test can SIGKILL. */
export type Instance = {
  readonly url: string;
  readonly api: Api;
  readonly process: Spawned;
};

const MAIN = path.join(import.meta.dirname, '..', 'main.ts');

/** The `i`-th of the instances a test started (round the list for an `i` past its end). */
export function instanceAt(instances: readonly Instance[], i: number): Instance {
  const instance = instances[i % instances.length];
  if (instance === undefined) throw new Error('no instance');
  return instance;
}

/** Free ports tried before giving up, when the test did not fix one. */
const PORT_ATTEMPTS = 3;

/**
 * Starts src/main.ts with `env` on `fixedPort` (a free one unless given, e.g. where LiveKit already
 * posts its webhooks) and waits until /healthz answers. A free port another process took before
 * the instance could listen on it (test files run side by side) is chosen again.
 */
export async function startInstance(
  livekit: LivekitInfo,
  env: Readonly<Record<string, string>>,
  name: string,
  fixedPort?: number,
): Promise<Instance> {
  if (fixedPort !== undefined) return launch(livekit, env, name, fixedPort);
  return onFreshPorts(PORT_ATTEMPTS, async () => launch(livekit, env, name, await freeTcpPort()));
}

async function launch(
  livekit: LivekitInfo,
  env: Readonly<Record<string, string>>,
  name: string,
  port: number,
): Promise<Instance> {
  const logFile = path.join(logsDir, `${name}-${port}.log`);
  const proc = spawnOwned(process.execPath, ['--import', 'tsx', MAIN], logFile, {
    PORT: String(port),
    HOST: '127.0.0.1',
    LIVEKIT_URL: livekit.wsUrl,
    LIVEKIT_API_KEY: livekit.apiKey,
    LIVEKIT_API_SECRET: livekit.apiSecret,
    LOG_LEVEL: 'warn',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.child.exitCode !== null) {
      const message = `instance ${name} exited with ${proc.child.exitCode}; see ${logFile}`;
      throw saysPortTaken(fs.readFileSync(logFile, 'utf8')) ? new PortTaken(message) : new Error(message);
    }
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status < 500 || r.status === 503,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`instance ${name} did not answer within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, api: api(url), process: proc };
}

/**
 * LiveKit as a cluster behind the coordination servers: two livekit-server nodes on one Redis,
 * posting every webhook to two instances on one fresh PostgreSQL database; instance A is
 * configured with node 1's URL, B with node 2's (as if each reached LiveKit its own way).
 */
export type LivekitNodes = {
  readonly a: Instance;
  readonly b: Instance;
  readonly livekit: RunningLivekitCluster;
  /** LiveKit's (and the instances') Redis. */
  readonly redis: Redis;
  node(i: 0 | 1): RunningLivekit;
  /** The node holding `room`, from where LiveKit keeps it (its Redis hash `room_node_map`). */
  nodeOf(room: string): Promise<0 | 1 | undefined>;
  stop(): Promise<void>;
};

function nodeIn(cluster: RunningLivekitCluster, i: 0 | 1): RunningLivekit {
  const n = cluster.nodes[i];
  if (n === undefined) throw new Error(`no node ${i + 1}`);
  return n;
}

export async function startLivekitNodes(
  /** The run's PostgreSQL (`inject('postgres')`): a fresh database in it. */
  postgresAdminUrl: string,
  name: string,
  env: Readonly<Record<string, string>> = {},
): Promise<LivekitNodes> {
  const database = await freshPostgresDatabase(postgresAdminUrl);
  // LiveKit is told the instances' webhook URLs before they listen: when another process takes
  // one of those ports in between, the nodes and any instance started are stopped and all start
  // again on new ports.
  const [livekit, a, b] = await onFreshPorts(PORT_ATTEMPTS, async () => {
    const ports = [await freeTcpPort(), await freeTcpPort()] as const;
    const cluster = await startLivekitCluster({
      nodes: 2,
      webhookUrls: ports.map((p) => `http://127.0.0.1:${p}${SPECIAL_PATHS.livekitWebhook}`),
    });
    // The instances share LiveKit's Redis: their keys are all under `tandem:`.
    const shared = { DATABASE_URL: database.url, REDIS_URL: cluster.redis.url, ...env };
    const started = await Promise.allSettled(
      ([0, 1] as const).map((i) =>
        startInstance(nodeIn(cluster, i), shared, `${name}-instance-${i === 0 ? 'a' : 'b'}`, ports[i]),
      ),
    );
    const [first, second] = started;
    if (first?.status === 'fulfilled' && second?.status === 'fulfilled')
      return [cluster, first.value, second.value] as const;
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.process.stop() : undefined)));
    await cluster.stop();
    throw started.find((s) => s.status === 'rejected')?.reason;
  });
  const redis = new Redis(livekit.redis.url);
  const node = (i: 0 | 1) => nodeIn(livekit, i);
  return {
    a,
    b,
    livekit,
    redis,
    node,
    async nodeOf(room) {
      const id = await redis.hget('room_node_map', room);
      return id === node(0).nodeId ? 0 : id === node(1).nodeId ? 1 : undefined;
    },
    async stop() {
      await Promise.all([a.process.stop(), b.process.stop()]);
      redis.disconnect();
      await livekit.stop();
      await database.drop();
    },
  };
}

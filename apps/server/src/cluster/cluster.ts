import { randomUUID } from 'node:crypto';
import { takeToken, type Bucket, type RateRule } from '@tandem/shared';
import { Redis, type ChainableCommander } from 'ioredis';

/**
 * What several coordination instances share beyond the database: a bus for what one instance
 * tells the others (committed chat events, typing, organisation news, ended sessions), counters
 * for rate limits, and which instances are alive and whom they hold connections of. Without
 * REDIS_URL it is this instance alone (`localCluster`), in memory, as before.
 */
export type Cluster = {
  /** This instance's name among the others, new at every start. */
  readonly instanceId: string;
  /** Whether other instances may exist (a Redis is configured). */
  readonly shared: boolean;
  /**
   * Tells every other instance, or with `channel` only those subscribed to it; never delivered
   * back to this one.
   */
  publish(message: unknown, channel?: string): void;
  /** Hears what other instances publish, on the common bus and on the channels subscribed to. */
  onMessage(handler: (message: unknown) => void): void;
  /**
   * Hears what is published on `channel` too (any string: it is kept apart from the bus's own
   * names), also after the bus comes back, until `unsubscribe`. Resolves once Redis confirmed it,
   * or at once while Redis is away (it is subscribed again as the bus comes back).
   */
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): void;
  /** Hears the bus come back after it was lost: what was published meanwhile may be missing. */
  onResync(handler: () => void): void;
  /** Counts one hit on `key` in its fixed window of `windowMs`; answers the count so far in the window. */
  hit(key: string, windowMs: number): Promise<number>;
  /**
   * Takes a token from the bucket `key` (`rule`'s capacity, refilled at its rate), one bucket for
   * every instance: false when it is empty. For limits a client keeps too (the same rule), which
   * a fixed window would refuse at its edges.
   */
  take(key: string, rule: RateRule): Promise<boolean>;
  /** This instance holds one more (or one fewer, `delta` -1) connection of `userId`. */
  connections(userId: string, delta: 1 | -1): Promise<void>;
  /** Whether any live instance holds a connection of `userId`. */
  connectedAnywhere(userId: string): Promise<boolean>;
  /**
   * This instance's entry under `key` (null: none), for every instance to read with `entries`;
   * written again when Redis may have lost it, like the connection counts. An instance's entries
   * die with it: readers skip them at once, `orphans` removes them.
   */
  share(key: string, value: string | null): Promise<void>;
  /** The entries under `key` of every live instance, this one's included, by instance. */
  entries(key: string): Promise<Map<string, string>>;
  /**
   * What instances that died (stopped beating without closing) left behind: the people whose
   * connections they held, and the keys they had entries under (removed now). Each such instance
   * is forgotten as it is read, so what it left is answered once.
   */
  orphans(): Promise<{ people: string[]; keys: string[] }>;
  /**
   * Takes or keeps the lease `name` for `ttlMs`: true while this instance holds it. Whoever holds
   * it does the work it names; when the holder dies, another takes it over once it lapses.
   * `unknown`: the answer when Redis cannot be asked (false by default: work that must not happen
   * twice; true for work that must go on, whose doubles something else settles).
   */
  hold(name: string, ttlMs: number, unknown?: boolean): Promise<boolean>;
  /** Lets the lease `name` go at once if this instance holds it: another may take it now. */
  release(name: string): Promise<void>;
  /**
   * Which of the instances `ids` are alive (this one always is; alone, no other). Without Redis
   * nobody can tell a dead instance from one out of reach: every one counts as alive then.
   */
  alive(ids: readonly string[]): Promise<Set<string>>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
};

/** One instance: everything in memory. */
export function localCluster(): Cluster {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const hit = async (key: string, windowMs: number): Promise<number> => {
    const now = Date.now();
    if (windows.size > 10_000) for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
    const w = windows.get(key);
    if (w === undefined || w.resetAt <= now) {
      windows.set(key, { count: 1, resetAt: now + windowMs });
      return 1;
    }
    w.count += 1;
    return w.count;
  };
  const buckets = new Map<string, Bucket>();
  const take = async (key: string, rule: RateRule): Promise<boolean> => {
    const now = Date.now();
    // A bucket untouched long enough to be full again is as good as none: forgetting it changes nothing.
    const fullAfterMs = (rule.capacity / rule.perSecond) * 1000;
    if (buckets.size > 10_000) for (const [k, b] of buckets) if (now - b.at > fullAfterMs) buckets.delete(k);
    const { allowed, bucket } = takeToken(rule, buckets.get(key), now);
    buckets.set(key, bucket);
    return allowed;
  };
  const shares = new Map<string, string>();
  const instanceId = randomUUID();
  return {
    instanceId,
    shared: false,
    publish() {},
    onMessage() {},
    subscribe: async () => {},
    unsubscribe() {},
    onResync() {},
    hit,
    take,
    async connections() {},
    async share(key, value) {
      if (value === null) shares.delete(key);
      else shares.set(key, value);
    },
    async entries(key) {
      const value = shares.get(key);
      return new Map(value === undefined ? [] : [[instanceId, value]]);
    },
    async orphans() {
      return { people: [], keys: [] };
    },
    async connectedAnywhere() {
      return false;
    },
    hold: async () => true,
    release: async () => {},
    async alive(ids) {
      return new Set(ids.filter((id) => id === instanceId));
    },
    ping: async () => true,
    close: async () => {},
  };
}

/**
 * `cluster`, whose handlers hear the other instances' messages of `late.kind` `late.ms` late (the
 * rest on time); as it is without `late`. For tests only (TEST_LATE_BUS_MESSAGES): it makes an
 * instance hear one instance's word after another instance's later messages, as a slow network or
 * a busy publisher can.
 */
export function lateFor(cluster: Cluster, late: { readonly kind: string; readonly ms: number } | undefined): Cluster {
  if (late === undefined) return cluster;
  const isLate = (message: unknown): boolean =>
    typeof message === 'object' && message !== null && 'kind' in message && message.kind === late.kind;
  return {
    ...cluster,
    onMessage(handler) {
      cluster.onMessage((message) => {
        if (isLate(message)) setTimeout(() => handler(message), late.ms);
        else handler(message);
      });
    },
  };
}

const CHANNEL = 'tandem:bus';
/** A channel a caller subscribes to, beside the common bus. */
const channelOf = (name: string): string => `${CHANNEL}:${name}`;
/** An instance that stopped refreshing its mark this long ago is dead: its connections do not count. */
const ALIVE_MS = 10_000;
const HEARTBEAT_MS = 3_000;

/** Takes the lease when free, or extends it when this instance holds it already. */
const HOLD_SCRIPT = `
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end
return 0`;

/**
 * A token bucket (capacity ARGV[1], refilled ARGV[2] a second) by Redis's clock, kept until it
 * would be full again: 1 when a token was taken, 0 when it is empty.
 */
const TAKE_SCRIPT = `
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local capacity, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
local b = redis.call('hmget', KEYS[1], 'tokens', 'at')
local at = tonumber(b[2]) or now
local tokens = math.min(capacity, (tonumber(b[1]) or capacity) + math.max(0, now - at) / 1000 * rate)
local taken = 0
if tokens >= 1 then tokens = tokens - 1 taken = 1 end
redis.call('hset', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(math.max(now, at)))
redis.call('pexpire', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return taken`;

/** Deletes the lease only when this instance holds it. */
const RELEASE_SCRIPT = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;

const aliveKey = (instanceId: string) => `tandem:alive:${instanceId}`;
const leaseKey = (name: string) => `tandem:lease:${name}`;
const socketsKey = (userId: string) => `tandem:sockets:${userId}`;
/** Every instance that started and has not closed, and whom each held connections of. */
const INSTANCES_KEY = 'tandem:instances';
const heldKey = (instanceId: string) => `tandem:held:${instanceId}`;
/** Each instance's entry under a shared key (a hash by instance), and the keys an instance has entries under. */
const shareKey = (key: string) => `tandem:share:${key}`;
const sharesKey = (instanceId: string) => `tandem:shares:${instanceId}`;

type Envelope = { readonly from: string; readonly message: unknown };

/**
 * Instances sharing one Redis. Pub/sub is not trusted to be complete (a message published while
 * a subscriber reconnects is lost): receivers of chat events fill gaps from the database by
 * offset, and `onResync` handlers catch up after the bus comes back.
 */
export async function redisCluster(url: string, log: (message: string, error: unknown) => void): Promise<Cluster> {
  const instanceId = randomUUID();
  // Commands fail at once while Redis is away (no queue), and fall back to this instance alone.
  const commands = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
  // Subscribed again by `resubscribe` as it comes back (not by ioredis, which would not wait for it).
  const subscriber = new Redis(url, { lazyConnect: true, autoResubscribe: false });
  const alone = localCluster();
  /** `work` against Redis; while it is unreachable, `fallback` (this instance's own view), said once. */
  let degraded = false;
  async function orAlone<T>(work: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      degraded = false;
      return result;
    } catch (e) {
      if (!degraded) log('Redis is unreachable: rate limits, leases and presence count this instance alone', e);
      degraded = true;
      return fallback();
    }
  }
  /** Which of `ids` (other instances) are alive: their heartbeat's key is there. */
  async function aliveAmong(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const found = await commands.pipeline(ids.map((id) => ['exists', aliveKey(id)])).exec();
    return new Set(ids.filter((_, i) => found?.[i]?.[1] === 1));
  }
  for (const client of [commands, subscriber]) client.on('error', () => {});
  await Promise.all([commands.connect(), subscriber.connect()]);
  const handlers: ((message: unknown) => void)[] = [];
  const resyncs: (() => void)[] = [];
  /** The channels subscribed to beside the common bus, as Redis is to have them. */
  const channels = new Set<string>();
  let lost = false;
  subscriber.on('message', (_channel: string, raw: string) => {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(raw) as Envelope;
    } catch (e) {
      log('unreadable cluster message', e);
      return;
    }
    if (envelope.from === instanceId) return;
    for (const handler of handlers) handler(envelope.message);
  });
  /**
   * Whom this instance holds connections of, by count: what it writes again when Redis may have
   * lost it (Redis restarted without persistence, or a write failed), so presence across instances
   * and the sweep of a dead instance's people keep working after a Redis restart.
   */
  const held = new Map<string, number>();
  /** This instance's entries (see `share`), written again with the registration; a removal (null) is kept until it is. */
  const shares = new Map<string, string | null>();
  const writeShare = (batch: ChainableCommander, key: string, value: string | null): ChainableCommander =>
    value === null
      ? batch.hdel(shareKey(key), instanceId).srem(sharesKey(instanceId), key)
      : batch.hset(shareKey(key), instanceId, value).sadd(sharesKey(instanceId), key);
  let unregistered = false;
  /** Writes this instance's registration and connection counts again; stays due until it succeeds. */
  const register = async (): Promise<void> => {
    unregistered = false;
    const batch = commands.multi().sadd(INSTANCES_KEY, instanceId);
    for (const [userId, count] of held) {
      batch.hset(socketsKey(userId), instanceId, count);
      if (count > 0) batch.sadd(heldKey(instanceId), userId);
    }
    for (const [key, value] of shares) writeShare(batch, key, value);
    try {
      const replies = await batch.exec();
      const failed = replies?.find(([e]) => e !== null)?.[0];
      if (replies === null || failed != null) throw failed ?? new Error('the registration was aborted');
    } catch (e) {
      unregistered = true;
      throw e;
    }
    if (unregistered) return;
    for (const [userId, count] of held) if (count <= 0) held.delete(userId);
    for (const [key, value] of shares) if (value === null) shares.delete(key);
  };
  subscriber.on('close', () => {
    lost = true;
    unregistered = true;
  });
  /**
   * The bus came back: the common bus and every channel are subscribed again before the resync
   * handlers run (they ask the others for what was published in between, and hear the answers).
   */
  const resubscribe = async (): Promise<void> => {
    try {
      await subscriber.subscribe(CHANNEL, ...[...channels].map(channelOf));
    } catch (e) {
      // Lost again: the next 'ready' subscribes again.
      log('subscribing again to the cluster bus failed', e);
      return;
    }
    // The handlers publish (a page's `hello`), through the other connection, which reconnects on
    // its own: what they sent before it was back was dropped, and each instance's resync could be
    // lost that way (a page then never converged).
    if (commands.status !== 'ready') await new Promise((resolve) => commands.once('ready', resolve));
    for (const resync of resyncs) resync();
  };
  subscriber.on('ready', () => {
    if (!lost) return;
    lost = false;
    void resubscribe();
  });
  await subscriber.subscribe(CHANNEL);
  const beat = async () => {
    await commands.set(aliveKey(instanceId), '1', 'PX', ALIVE_MS);
    if (unregistered) await register();
  };
  await beat();
  await commands.sadd(INSTANCES_KEY, instanceId);
  const heartbeat = setInterval(() => {
    beat().catch((e: unknown) => {
      // Missed beats may have let another instance count this one dead and forget its people.
      unregistered = true;
      log('cluster heartbeat failed', e);
    });
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    instanceId,
    shared: true,
    publish(message, channel) {
      commands
        .publish(
          channel === undefined ? CHANNEL : channelOf(channel),
          JSON.stringify({ from: instanceId, message } satisfies Envelope),
        )
        .catch((e: unknown) => log('cluster publish failed', e));
    },
    onMessage(handler) {
      handlers.push(handler);
    },
    async subscribe(channel) {
      channels.add(channel);
      // While Redis is away, `resubscribe` does it as it comes back.
      if (subscriber.status !== 'ready') return;
      await subscriber
        .subscribe(channelOf(channel))
        .catch((e: unknown) =>
          log(`subscribing to ${channel} failed (it is subscribed again as the bus comes back)`, e),
        );
    },
    unsubscribe(channel) {
      channels.delete(channel);
      // Commands on one connection run in order: a later subscribe to the same channel holds.
      if (subscriber.status === 'ready')
        subscriber
          .unsubscribe(channelOf(channel))
          .catch((e: unknown) => log(`unsubscribing from ${channel} failed`, e));
    },
    onResync(handler) {
      resyncs.push(handler);
    },
    hit(key, windowMs) {
      return orAlone(
        async () => {
          const k = `tandem:rate:${key}:${Math.floor(Date.now() / windowMs)}`;
          const replies = await commands.multi().incr(k).pexpire(k, windowMs).exec();
          const count = replies?.[0]?.[1];
          if (typeof count !== 'number') throw new Error('INCR answered no count');
          return count;
        },
        () => alone.hit(key, windowMs),
      );
    },
    take(key, rule) {
      return orAlone(
        async () =>
          (await commands.eval(
            TAKE_SCRIPT,
            1,
            `tandem:bucket:${key}`,
            String(rule.capacity),
            String(rule.perSecond),
          )) === 1,
        () => alone.take(key, rule),
      );
    },
    async connections(userId, delta) {
      const count = (held.get(userId) ?? 0) + delta;
      held.set(userId, count);
      try {
        await commands.hincrby(socketsKey(userId), instanceId, delta);
        if (delta === 1) await commands.sadd(heldKey(instanceId), userId);
      } catch (e) {
        unregistered = true;
        throw e;
      }
      // Redis has it; a zero is kept only while a registration is due (it writes the zero).
      if (count <= 0 && !unregistered) held.delete(userId);
    },
    async share(key, value) {
      shares.set(key, value);
      try {
        const replies = await writeShare(commands.multi(), key, value).exec();
        const failed = replies?.find(([e]) => e !== null)?.[0];
        if (replies === null || failed != null) throw failed ?? new Error('the share was aborted');
      } catch (e) {
        unregistered = true;
        throw e;
      }
      if (value === null && !unregistered) shares.delete(key);
    },
    entries(key) {
      return orAlone(
        async () => {
          const all = await commands.hgetall(shareKey(key));
          const live = await aliveAmong(Object.keys(all).filter((id) => id !== instanceId));
          // A dead instance's entries are skipped until the sweep (`orphans`) removes them and says so.
          return new Map(Object.entries(all).filter(([id]) => id === instanceId || live.has(id)));
        },
        async () => {
          const own = shares.get(key);
          return new Map(own === undefined || own === null ? [] : [[instanceId, own]]);
        },
      );
    },
    alive(ids) {
      return orAlone(
        async () => {
          const live = await aliveAmong(ids.filter((id) => id !== instanceId));
          if (ids.includes(instanceId)) live.add(instanceId);
          return live;
        },
        async () => new Set(ids),
      );
    },
    async orphans() {
      const people: string[] = [];
      const keys: string[] = [];
      for (const id of await commands.smembers(INSTANCES_KEY)) {
        if (id === instanceId || (await commands.exists(aliveKey(id))) > 0) continue;
        // Whoever removes the dead instance from the set answers for what it left (instances sweep concurrently).
        if ((await commands.srem(INSTANCES_KEY, id)) === 0) continue;
        const held = await commands.smembers(heldKey(id));
        for (const userId of held) await commands.hdel(socketsKey(userId), id);
        const shared = await commands.smembers(sharesKey(id));
        for (const key of shared) await commands.hdel(shareKey(key), id);
        await commands.del(heldKey(id), sharesKey(id));
        people.push(...held);
        keys.push(...shared);
      }
      return { people, keys };
    },
    connectedAnywhere(userId) {
      return orAlone(
        async () => {
          const held = await commands.hgetall(socketsKey(userId));
          const holders = Object.entries(held).filter(([, n]) => Number(n) > 0);
          if (holders.length === 0) return false;
          return (await commands.exists(...holders.map(([id]) => aliveKey(id)))) > 0;
        },
        () => alone.connectedAnywhere(userId),
      );
    },
    hold(name, ttlMs, unknown = false) {
      // Without Redis nobody can know who holds a lease: nobody takes it unless told otherwise
      // (each instance's own timers still run).
      return orAlone(
        async () => (await commands.eval(HOLD_SCRIPT, 1, leaseKey(name), instanceId, String(ttlMs))) === 1,
        async () => unknown,
      );
    },
    async release(name) {
      await orAlone(
        async () => commands.eval(RELEASE_SCRIPT, 1, leaseKey(name), instanceId),
        async () => 0,
      );
    },
    async ping() {
      try {
        return (await commands.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      clearInterval(heartbeat);
      await Promise.all([...shares.keys()].map((key) => commands.hdel(shareKey(key), instanceId))).catch(() => []);
      await commands.del(aliveKey(instanceId), heldKey(instanceId), sharesKey(instanceId)).catch(() => 0);
      await commands.srem(INSTANCES_KEY, instanceId).catch(() => 0);
      subscriber.disconnect();
      commands.disconnect();
    },
  };
}

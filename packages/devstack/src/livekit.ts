import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { logsDir, toolsDir } from './paths.ts';
import { freeTcpPort, freeUdpPort, onFreshPorts, PortTaken, saysPortTaken } from './ports.ts';
import { spawnOwned } from './processes.ts';
import { SetupError } from './setupError.ts';

/** The livekit-server release this project is built and tested against. */
export const LIVEKIT_VERSION = '1.13.5';
const VERSION_LINE = /^1\.13\./;

/** The project's own development credentials. Production keys come from the server's environment. */
export const DEV_API_KEY = 'tandem-dev';
export const DEV_API_SECRET = 'tandem-dev-secret-0123456789abcdefghijklmnop';

export type LivekitInfo = {
  /** WebSocket URL clients connect to, e.g. ws://127.0.0.1:7880 */
  readonly wsUrl: string;
  /** HTTP URL for livekit-server-sdk's service clients. */
  readonly httpUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /**
   * livekit-server's own log (info level, appended to by every start on its port): what it did,
   * in its order and by its clock, such as each participant's session starting and closing.
   */
  readonly logFile: string;
};

export type RunningLivekit = LivekitInfo & {
  /** The id livekit-server gave itself at start (`ND_…`); LiveKit names a room's node by it. */
  readonly nodeId: string;
  /** Ends the server: SIGKILL when `kill` (a node that dies), else SIGTERM (it drains first). */
  stop(kill?: boolean): Promise<void>;
};

const cachedBinary = path.join(toolsDir, 'livekit', LIVEKIT_VERSION, 'livekit-server');

function versionOf(binary: string): string | undefined {
  const out = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (out.status !== 0) return undefined;
  return /(\d+\.\d+\.\d+)/.exec(out.stdout)?.[1];
}

function onPath(name: string): string | undefined {
  const out = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const found = out.stdout.trim();
  return out.status === 0 && found !== '' ? found : undefined;
}

function installWithGo(log: (line: string) => void): boolean {
  if (onPath('go') === undefined) return false;
  const gobin = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-lk-'));
  log(`building livekit-server ${LIVEKIT_VERSION} with go install (a few minutes the first time)…`);
  const out = spawnSync('go', ['install', `github.com/livekit/livekit-server/cmd/server@v${LIVEKIT_VERSION}`], {
    env: { ...process.env, CGO_ENABLED: '0', GOBIN: gobin },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (out.status !== 0) return false;
  fs.mkdirSync(path.dirname(cachedBinary), { recursive: true });
  fs.copyFileSync(path.join(gobin, 'server'), cachedBinary);
  fs.chmodSync(cachedBinary, 0o755);
  fs.rmSync(gobin, { recursive: true, force: true });
  return true;
}

async function installFromRelease(log: (line: string) => void): Promise<boolean> {
  const arch = ({ x64: 'amd64', arm64: 'arm64' } as const)[process.arch as 'x64' | 'arm64'];
  if (arch === undefined || (process.platform !== 'linux' && process.platform !== 'darwin')) return false;
  const url = `https://github.com/livekit/livekit/releases/download/v${LIVEKIT_VERSION}/livekit_${LIVEKIT_VERSION}_${process.platform}_${arch}.tar.gz`;
  log(`downloading livekit-server ${LIVEKIT_VERSION} release…`);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok) return false;
    const dir = path.dirname(cachedBinary);
    fs.mkdirSync(dir, { recursive: true });
    const archive = path.join(dir, 'release.tar.gz');
    fs.writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
    const untar = spawnSync('tar', ['-xzf', archive, '-C', dir, 'livekit-server']);
    fs.rmSync(archive, { force: true });
    return untar.status === 0 && fs.existsSync(cachedBinary);
  } catch {
    return false;
  }
}

/**
 * Finds livekit-server 1.13.x, in this order: on PATH; cached in .tools/; built with
 * `go install` where Go is present; the official release where the internet is reachable.
 * Throws a SetupError saying what is missing when none works.
 */
export async function ensureLivekit(log: (line: string) => void = () => {}): Promise<string> {
  const fromPath = onPath('livekit-server');
  if (fromPath !== undefined && VERSION_LINE.test(versionOf(fromPath) ?? '')) return fromPath;
  if (fs.existsSync(cachedBinary) && VERSION_LINE.test(versionOf(cachedBinary) ?? '')) return cachedBinary;
  if (installWithGo(log) || (await installFromRelease(log))) return cachedBinary;
  throw new SetupError(
    `livekit-server ${LIVEKIT_VERSION} is missing and could not be installed. ` +
      'Install Go 1.26 (the build uses the Go module proxy) or put livekit-server 1.13.x on PATH.',
  );
}

export type StartLivekitOptions = {
  /** URLs livekit-server posts its webhooks to (signed with the API key). */
  readonly webhookUrls?: readonly string[];
  readonly port?: number;
  /** `host:port` of a Redis that livekit-server keeps its rooms in; livekit-sip needs one to reach it. */
  readonly redisAddress?: string;
  /**
   * Several nodes: who is in a room (listParticipants, getParticipant) is asked of the node holding
   * it, not read from Redis's copy, which keeps listing the participants of a node that died until
   * the room ends. A room no node holds then answers "no response from servers" after about 3 s
   * instead of an empty list or not_found.
   */
  readonly participantsFromRoomNode?: boolean;
};

const ATTEMPTS = 6;

/**
 * Starts livekit-server in dev mode on loopback, on free ports, and waits until it answers. A
 * free port can be taken between choosing it and binding it when test runs start servers side
 * by side, so a start that dies on "address already in use" is tried again on new ports.
 */
export function startLivekit(options: StartLivekitOptions = {}): Promise<RunningLivekit> {
  return startLivekitOn(freeLivekitPorts, options);
}

/** startLivekit with the ports of each attempt chosen by `choosePorts` (a test takes one first). */
export async function startLivekitOn(
  choosePorts: (port: number | undefined) => Promise<LivekitPorts>,
  options: StartLivekitOptions = {},
): Promise<RunningLivekit> {
  const binary = await ensureLivekit();
  return onFreshPorts(ATTEMPTS, async () => startOnce(binary, await choosePorts(options.port), options));
}

/**
 * How soon livekit-server may ask a publisher again for a keyframe of one simulcast layer on a
 * subscriber's behalf. With its defaults (500 ms for the low layer, 1 s for the others) whoever
 * subscribes within a second of someone else's request waits out the rest of that second before
 * the first frame: a join right after another person's join or leave took ~1 s to the first frame
 * instead of ~180 ms (BENCHMARKS.md, B1). Shorter windows cost at most a few more keyframes a
 * second while people join, fewer for the layers whose keyframes are large.
 */
export const PLI_THROTTLE = { low_quality: '100ms', mid_quality: '200ms', high_quality: '300ms' } as const;

export type LivekitPorts = {
  /** Signalling and the server API (HTTP and WebSocket). */
  readonly port: number;
  /** ICE over TCP and over UDP. */
  readonly tcpPort: number;
  readonly udpPort: number;
  /** The embedded TURN server's UDP port, and the first of the ports it relays from (RELAY_PORTS of them). */
  readonly turnUdpPort: number;
  readonly relayPortStart: number;
};

/**
 * How many ports the TURN server may relay from: each allocation holds one. Every peer connection
 * of every client gathers a relay candidate (TURN is offered to all), and the allocations of a
 * browser that is killed rather than closed stay until their lifetime runs out (10 minutes), so a
 * whole test run against one server needs far more than its busiest test. A port taken by
 * something else is skipped (pion tries another of the range); running out would cost relay
 * candidates (the relay check), never a join. Only the TURN port itself is bound at start.
 */
export const RELAY_PORTS = 1000;

/** Free ports for one livekit-server: the OS picks each; the relay range starts at a free one. */
async function freeLivekitPorts(port: number | undefined): Promise<LivekitPorts> {
  const relayFrom = await freeUdpPort();
  return {
    port: port ?? (await freeTcpPort()),
    tcpPort: await freeTcpPort(),
    udpPort: await freeUdpPort(),
    turnUdpPort: await freeUdpPort(),
    relayPortStart: Math.min(relayFrom, 65_536 - RELAY_PORTS),
  };
}

/** The livekit.yaml of a dev-mode server on loopback. */
export function livekitConfig(ports: LivekitPorts, options: StartLivekitOptions = {}): string {
  return [
    `port: ${ports.port}`,
    'bind_addresses: ["127.0.0.1"]',
    'rtc:',
    `  tcp_port: ${ports.tcpPort}`,
    `  udp_port: ${ports.udpPort}`,
    '  use_external_ip: false',
    '  node_ip: 127.0.0.1',
    '  pli_throttle:',
    ...Object.entries(PLI_THROTTLE).map(([layer, window]) => `    ${layer}: ${window}`),
    // LiveKit's own TURN server, offered to every client with credentials of its own (the join
    // response's ICE servers): TURN over UDP on loopback. TURN over TLS is off: LiveKit offers it
    // only as `turns:<domain>:443`, which a loopback dev server cannot hold. Relaying to loopback
    // is refused unless allowed (TURN servers must not reach a private network): the relay
    // addresses are 127.0.0.1, so relay-only peers reach each other only through that.
    'turn:',
    '  enabled: true',
    '  bind_addresses: ["127.0.0.1"]',
    `  udp_port: ${ports.turnUdpPort}`,
    `  relay_range_start: ${ports.relayPortStart}`,
    `  relay_range_end: ${ports.relayPortStart + RELAY_PORTS - 1}`,
    '  allow_restricted_peer_cidrs: ["127.0.0.1/32"]',
    'keys:',
    `  ${DEV_API_KEY}: ${DEV_API_SECRET}`,
    'logging:',
    '  level: info',
    ...(options.redisAddress !== undefined ? ['redis:', `  address: ${options.redisAddress}`] : []),
    ...(options.participantsFromRoomNode === true ? ['api:', '  enable_psrpc_for_get_list_participants: true'] : []),
    ...(options.webhookUrls !== undefined && options.webhookUrls.length > 0
      ? ['webhook:', `  api_key: ${DEV_API_KEY}`, '  urls:', ...options.webhookUrls.map((u) => `    - ${u}`)]
      : []),
  ].join('\n');
}

async function startOnce(binary: string, ports: LivekitPorts, options: StartLivekitOptions): Promise<RunningLivekit> {
  const { port } = ports;
  const config = livekitConfig(ports, options);
  fs.mkdirSync(logsDir, { recursive: true });
  const configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-lk-')), 'livekit.yaml');
  fs.writeFileSync(configFile, config);
  const logFile = path.join(logsDir, `livekit-${port}.log`);
  const proc = spawnOwned(binary, ['--dev', '--config', configFile], logFile);
  const httpUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.child.exitCode !== null) {
      fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
      const message = `livekit-server exited with code ${proc.child.exitCode}; see ${logFile}`;
      throw saysPortTaken(fs.readFileSync(logFile, 'utf8')) ? new PortTaken(message) : new Error(message);
    }
    const ok = await fetch(httpUrl, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`livekit-server did not answer on ${httpUrl} within 20 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // Logged before it listens, so present once it answers; the log is appended to, so the last one is this start's.
  const nodeId = [...fs.readFileSync(logFile, 'utf8').matchAll(/"nodeID": "(ND_\w+)"/g)].at(-1)?.[1];
  if (nodeId === undefined) {
    await proc.stop();
    fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
    throw new Error(`livekit-server logged no node id; see ${logFile}`);
  }
  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    httpUrl,
    apiKey: DEV_API_KEY,
    apiSecret: DEV_API_SECRET,
    logFile,
    nodeId,
    async stop(kill = false) {
      if (kill) proc.child.kill('SIGKILL');
      await proc.stop();
      fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
    },
  };
}

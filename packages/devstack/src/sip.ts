import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aptInstall, isDebianRoot } from './debian.ts';
import { buildGoCommand, hasCommand, requireGo } from './goBuild.ts';
import { startLivekit, type RunningLivekit, type StartLivekitOptions } from './livekit.ts';
import { logsDir, toolsDir } from './paths.ts';
import { freeUdpPort, PortTaken, saysPortTaken } from './ports.ts';
import { spawnOwned } from './processes.ts';
import { startRedis } from './redis.ts';
import { SetupError } from './setupError.ts';

/** The livekit-sip release this project is built and tested against (the only one the module proxy serves). */
export const LIVEKIT_SIP_VERSION = '1.0.0';

const cachedBinary = path.join(toolsDir, 'livekit-sip', LIVEKIT_SIP_VERSION, 'livekit-sip');

/** Debian packages livekit-sip's cgo build links against (Opus, Opus files, SoX resampler). */
const BUILD_PACKAGES = ['pkg-config', 'libopus-dev', 'libopusfile-dev', 'libsoxr-dev'] as const;

const hasBuildLibraries = (): boolean =>
  hasCommand('pkg-config') &&
  spawnSync('pkg-config', ['--exists', 'opus', 'opusfile', 'soxr'], { stdio: 'ignore' }).status === 0;

/**
 * Finds livekit-sip 1.0.0 cached in .tools/, or builds it there with Go. On Debian as root the
 * libraries its build needs are installed first when missing. Throws a SetupError saying what is
 * missing when it cannot.
 */
export function ensureSip(log: (line: string) => void = () => {}): string {
  if (fs.existsSync(cachedBinary)) return cachedBinary;
  requireGo(`livekit-sip ${LIVEKIT_SIP_VERSION}`);
  if (!hasBuildLibraries() && isDebianRoot()) aptInstall(BUILD_PACKAGES, log);
  if (!hasBuildLibraries()) {
    throw new SetupError(
      `livekit-sip's build needs ${BUILD_PACKAGES.join(', ')}: on Debian run ` +
        `\`apt-get install ${BUILD_PACKAGES.join(' ')}\` as root.`,
    );
  }
  buildGoCommand(
    {
      name: `livekit-sip ${LIVEKIT_SIP_VERSION}`,
      pkg: 'github.com/livekit/sip/cmd/livekit-sip',
      version: LIVEKIT_SIP_VERSION,
      binary: cachedBinary,
    },
    log,
  );
  return cachedBinary;
}

/**
 * The SIP user agent tests dial with (Debian `sip-tester`, which installs `sipp`). On Debian as
 * root installed when missing.
 */
export function ensureSipp(log: (line: string) => void = () => {}): string {
  if (!hasCommand('sipp') && isDebianRoot()) aptInstall(['sip-tester'], log);
  if (!hasCommand('sipp')) {
    throw new SetupError('sipp is missing (the phone tests dial with it): run `apt-get install sip-tester`.');
  }
  return 'sipp';
}

export type RunningSip = {
  readonly livekit: RunningLivekit;
  /** Where livekit-sip takes SIP over UDP: 127.0.0.1 and this port. */
  readonly sipPort: number;
  readonly redisUrl: string;
  stop(): Promise<void>;
};

/** How many RTP ports livekit-sip may use: two per call (audio, and its RTCP neighbour) with room to spare. */
const RTP_PORTS = 40;

/** livekit-sip's config.yaml: loopback only, its addresses stated so it never looks up the machine's external one. */
export function sipConfig(input: {
  readonly livekit: Pick<RunningLivekit, 'wsUrl' | 'apiKey' | 'apiSecret'>;
  readonly redisAddress: string;
  readonly sipPort: number;
  readonly rtpStart: number;
}): string {
  return [
    `api_key: ${input.livekit.apiKey}`,
    `api_secret: ${input.livekit.apiSecret}`,
    `ws_url: ${input.livekit.wsUrl}`,
    'redis:',
    `  address: ${input.redisAddress}`,
    `sip_port: ${input.sipPort}`,
    'listen_ip: 127.0.0.1',
    'nat_1_to_1_ip: 127.0.0.1',
    `rtp_port: ${input.rtpStart}-${input.rtpStart + RTP_PORTS - 1}`,
    // A shared 2-core test machine is often busy: livekit-sip must not refuse calls for want of idle CPU.
    'max_cpu_utilization: 1',
    'logging:',
    '  level: debug',
  ].join('\n');
}

/** A block of `count` consecutive UDP ports free now, starting at an even port. */
async function freeUdpRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const start = 20_000 + 2 * Math.floor(Math.random() * 10_000);
    const sockets: dgram.Socket[] = [];
    const bound = await (async () => {
      for (let port = start; port < start + count; port += 1) {
        const socket = dgram.createSocket('udp4');
        const ok = await new Promise<boolean>((resolve) => {
          socket.once('error', () => resolve(false));
          socket.bind(port, '127.0.0.1', () => resolve(true));
        });
        sockets.push(socket);
        if (!ok) return false;
      }
      return true;
    })();
    for (const socket of sockets) {
      try {
        socket.close();
      } catch {
        // A socket that never bound has nothing to close.
      }
    }
    if (bound) return start;
  }
  throw new Error(`no ${count} consecutive free UDP ports found`);
}

/** Starts of livekit-sip on new ports when one it was given was taken first (PortTaken). */
const ATTEMPTS = 3;

/** livekit-sip on its own ports: SIP on UDP and TCP (the same number), and a block of RTP ports. */
async function startSipProcess(
  binary: string,
  livekit: RunningLivekit,
  redisAddress: string,
): Promise<{ sipPort: number; stop(): Promise<void> }> {
  const sipPort = await freeUdpPort();
  const rtpStart = await freeUdpRange(RTP_PORTS);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-sip-'));
  const configFile = path.join(dir, 'config.yaml');
  fs.writeFileSync(configFile, sipConfig({ livekit, redisAddress, sipPort, rtpStart }));
  fs.mkdirSync(logsDir, { recursive: true });
  const logFile = path.join(logsDir, `livekit-sip-${sipPort}.log`);
  const proc = spawnOwned(binary, ['--config', configFile], logFile);
  const stop = async (): Promise<void> => {
    await proc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Ready once it listens for SIP over TCP, the last of its sockets (UDP comes first).
  const deadline = Date.now() + 20_000;
  for (;;) {
    const log = fs.readFileSync(logFile, 'utf8');
    if (proc.child.exitCode !== null) {
      await stop();
      const message = `livekit-sip exited with code ${proc.child.exitCode}; see ${logFile}`;
      throw saysPortTaken(log) ? new PortTaken(message) : new Error(message);
    }
    if (/sip signaling listening on.*"proto": "tcp"/.test(log)) return { sipPort, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`livekit-sip did not come up within 20 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts what phone calls need, all on loopback with free ports: Redis, a livekit-server that
 * routes SIP through it, and livekit-sip. The caller stops them with `stop()`.
 */
export async function startSip(options: StartLivekitOptions = {}): Promise<RunningSip> {
  const binary = ensureSip();
  const redis = await startRedis();
  const redisAddress = `127.0.0.1:${redis.port}`;
  const livekit = await startLivekit({ ...options, redisAddress }).catch(async (e: unknown) => {
    await redis.stop();
    throw e;
  });
  for (let attempt = 1; ; attempt += 1) {
    try {
      const sip = await startSipProcess(binary, livekit, redisAddress);
      return {
        livekit,
        sipPort: sip.sipPort,
        redisUrl: redis.url,
        async stop() {
          await sip.stop();
          await livekit.stop();
          await redis.stop();
        },
      };
    } catch (e) {
      if (e instanceof PortTaken && attempt < ATTEMPTS) continue;
      await livekit.stop();
      await redis.stop();
      throw e;
    }
  }
}

import fs from 'node:fs';
import net from 'node:net';
import { spawnOwned, type Spawned } from './processes.ts';
import dgram from 'node:dgram';

/**
 * A server died because a port chosen free was taken before it listened (another process, test
 * files starting servers side by side, got there first): start it again on new ports.
 */
export class PortTaken extends Error {}

/** Whether a server's log says a port it was given is taken (Go's, Node's and the C servers' words for it). */
export const saysPortTaken = (log: string): boolean => /address already in use|EADDRINUSE/i.test(log);

/** `start` (which chooses its ports each time) again while it fails with PortTaken, at most `attempts` times. */
export async function onFreshPorts<T>(attempts: number, start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start();
    } catch (e) {
      if (!(e instanceof PortTaken) || attempt >= attempts) throw e;
    }
  }
}

/**
 * A process that posts webhooks (livekit-server, livekit-sip) to a server started after it, whose
 * URL must be in the sender's configuration first: the receiver's port is chosen free, the sender
 * started with `http://127.0.0.1:<port><path>`, then the receiver on that port. When the port was
 * taken in between (another process got there first), the sender is stopped and both start again
 * on a new port (at most three times).
 */
export function webhookPair<Sender extends { stop(): Promise<void> }, Receiver>(
  path: string,
  startSender: (webhookUrl: string) => Promise<Sender>,
  startReceiver: (sender: Sender, port: number) => Promise<Receiver>,
): Promise<readonly [Sender, Receiver]> {
  return onFreshPorts(3, async () => {
    const port = await freeTcpPort();
    const sender = await startSender(`http://127.0.0.1:${port}${path}`);
    try {
      return [sender, await startReceiver(sender, port)] as const;
    } catch (e) {
      await sender.stop();
      throw saysPortTaken(e instanceof Error ? e.message : String(e)) ? new PortTaken(`port ${port} was taken`) : e;
    }
  });
}

/**
 * A TCP port that was free a moment ago on every address (the OS picks it). Checked on all
 * interfaces, not loopback alone: livekit-server binds its RTC ports on every address, and a port
 * free on 127.0.0.1 may be held on another one.
 */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('no TCP port could be reserved'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * A UDP port that was free a moment ago on every address, IPv4 and IPv6 (see freeTcpPort); on a
 * machine without IPv6, on every IPv4 address.
 */
export function freeUdpPort(): Promise<number> {
  return freeUdpPortOn('udp6', '::').catch(() => freeUdpPortOn('udp4', '0.0.0.0'));
}

function freeUdpPortOn(type: 'udp4' | 'udp6', address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type, ipv6Only: false });
    socket.once('error', reject);
    socket.bind(0, address, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on host:port, or rejects after timeoutMs. */
export async function waitForTcp(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing answered on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The inodes of the sockets listening on TCP `port` of any address (Linux: /proc/net/tcp and tcp6). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = fs.existsSync(table) ? fs.readFileSync(table, 'utf8').split('\n').slice(1) : [];
    for (const line of lines) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const [, local, , state, , , , , , inode] = fields;
      if (local?.endsWith(`:${hexPort}`) === true && state === '0A' && inode !== undefined) inodes.add(inode);
    }
  }
  return inodes;
}

/** Whether process `pid` itself listens on TCP `port` (Linux). */
function listensOn(pid: number, port: number): boolean {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  return fds.some((fd) => {
    try {
      const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      return target.startsWith('socket:[') && inodes.has(target.slice('socket:['.length, -1));
    } catch {
      return false;
    }
  });
}

/** Resolves once `proc` itself listens on every one of `ports`; see `spawnListening`. */
async function listening(
  proc: Spawned,
  ports: readonly number[],
  logFile: string,
  logFrom: number,
  timeoutMs: number,
): Promise<void> {
  const pid = proc.child.pid;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (pid !== undefined && ports.every((p) => listensOn(pid, p))) return;
    // Only what this process wrote: the log may hold an earlier server's on the same port.
    const written = fs.readFileSync(logFile).subarray(logFrom).toString('utf8');
    if (saysPortTaken(written)) throw new PortTaken(`a port of ${ports.join(', ')} is taken`);
    if (proc.child.exitCode !== null) throw new Error(`it exited with ${proc.child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`it did not listen on ${ports.join(', ')} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts a server (`spawnOwned`, its output appended to `logFile`) and resolves once it itself
 * listens on every one of `ports` (Linux: its own sockets, not merely something answering there,
 * as `waitForTcp` sees: a process that took a port first, while the server retries it, as nginx
 * does for seconds). PortTaken when what it logs says a port is taken; rejects when it exits or
 * `timeoutMs` pass; either way it is stopped first.
 */
export async function spawnListening(
  command: string,
  args: readonly string[],
  logFile: string,
  ports: readonly number[],
  timeoutMs: number,
): Promise<Spawned> {
  const logFrom = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
  const proc = spawnOwned(command, args, logFile);
  try {
    await listening(proc, ports, logFile, logFrom, timeoutMs);
  } catch (e) {
    await proc.stop();
    throw e;
  }
  return proc;
}

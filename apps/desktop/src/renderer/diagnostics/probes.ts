import type { ConnectionFailure, ConnectionProbe, TandemClient } from '@tandem/shared';
import { Room, RoomEvent } from 'livekit-client';
import type { ConnectionProbes } from './connectionTest.ts';

/** The local side of the candidate pair ICE chose: `udp host`, `tcp srflx`, `udp relay` (TURN)… */
async function chosenPath(transport: { getStats(): Promise<RTCStatsReport> | undefined } | undefined) {
  const report = await transport?.getStats();
  if (report === undefined) return undefined;
  const stats = [...report.values()] as Record<string, unknown>[];
  const pair = stats.find(
    (s) => s['type'] === 'candidate-pair' && s['state'] === 'succeeded' && s['nominated'] === true,
  );
  const local = stats.find((s) => s['id'] === pair?.['localCandidateId']);
  if (local === undefined) return undefined;
  return `${String(local['protocol'])} ${String(local['candidateType'])}`;
}

/** How long the media check waits for the transport's chosen path: under the runner's limit per check. */
const MEDIA_PATH_MS = 10_000;

/** How long the relay check gathers: under the runner's limit per check, so a failure says why. */
export const RELAY_GATHER_MS = 10_000;

/**
 * Whether a TURN server hands out a relay: a peer connection of the test's own that may use
 * relays only gathers candidates until a relay one comes or the time is up. Its detail is how
 * it reached the TURN server (`udp`, `tcp`, `tls`: the candidate's stats say it; Chromium leaves
 * the candidate's own `relayProtocol` empty). It connects to no one: the allocation is the proof
 * that the relay is reachable and takes these credentials.
 */
async function relayCandidate(iceServers: RTCIceServer[], ms: number): Promise<ConnectionProbe> {
  const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: 'relay' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const relay = new Promise<RTCIceCandidate | undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
      pc.addEventListener('icecandidate', ({ candidate }) => {
        // null: gathering is over, and no relay came.
        if (candidate === null || candidate.type === 'relay') resolve(candidate ?? undefined);
      });
    });
    pc.createDataChannel('relay-check');
    await pc.setLocalDescription(await pc.createOffer());
    const candidate = await relay;
    if (candidate === undefined) return { ok: false, reason: 'no_relay' };
    const stats = [...(await pc.getStats()).values()] as Record<string, unknown>[];
    const protocol = stats.find(
      (s) => s['type'] === 'local-candidate' && s['candidateType'] === 'relay' && s['port'] === candidate.port,
    )?.['relayProtocol'];
    return typeof protocol === 'string' ? { ok: true, detail: protocol.slice(0, 200) } : { ok: true };
  } finally {
    clearTimeout(timer);
    pc.close();
  }
}

/** An ICE server as LiveKit's join answer lists it. */
type OfferedIceServer = { readonly urls: readonly string[]; readonly username: string; readonly credential: string };

/**
 * The TURN servers among the ICE servers LiveKit offers (`turn:` and `turns:` URLs, with their
 * credentials); STUN ones aside, which is all LiveKit offers when its TURN is off.
 */
export function turnServers(offered: readonly OfferedIceServer[]): RTCIceServer[] {
  return offered.flatMap(({ urls, username, credential }) => {
    const turn = urls.filter((url) => /^turns?:/.test(url));
    return turn.length === 0 ? [] : [{ urls: turn, username, credential }];
  });
}

/** A device's failure as the screen names it. */
function deviceFailure(error: unknown): ConnectionFailure {
  const name = error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no_device';
  return 'device_failed';
}

async function device(kind: 'video' | 'audio'): Promise<ConnectionProbe> {
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(kind === 'video' ? { video: true } : { audio: true });
  } catch (error) {
    return { ok: false, reason: deviceFailure(error) };
  }
  const [track] = stream.getTracks();
  const live = track?.readyState === 'live';
  for (const t of stream.getTracks()) t.stop();
  return live ? { ok: true, detail: track.label.slice(0, 200) } : { ok: false, reason: 'device_failed' };
}

/**
 * The connection test's probes in the page: the server and its WebSocket through main (where the
 * app's own requests go from), LiveKit signalling and the media path from here, through a room of
 * the test's own with a token the server mints for it (publishing nothing), the TURN relay LiveKit
 * offers in that room, and the devices.
 */
export function pageProbes(client: TandemClient): ConnectionProbes {
  const room = new Room();
  let joined: Promise<void> | null = null;
  return {
    server: () => client.diagnosticsProbe({ check: 'server' }),
    websocket: () => client.diagnosticsProbe({ check: 'websocket' }),
    async livekit() {
      const { livekitUrl, token } = await client.diagnosticsLivekitToken({ params: {}, body: {} });
      const signalled = new Promise<void>((resolve) => room.once(RoomEvent.SignalConnected, () => resolve()));
      // Joining goes on to connect media; the next check waits for that.
      joined = room.connect(livekitUrl, token, { autoSubscribe: false, maxRetries: 0 });
      const failed = joined.then(
        () => new Promise<never>(() => undefined),
        (): ConnectionProbe => ({ ok: false, reason: 'unreachable' }),
      );
      return Promise.race([signalled.then((): ConnectionProbe => ({ ok: true })), failed]);
    },
    async media() {
      try {
        await joined;
      } catch {
        return { ok: false, reason: 'no_media_path' };
      }
      // Joined is signalled; the transport's path may be chosen a moment later (on a busy machine,
      // seconds): asked again until it is, or the time is up.
      const deadline = Date.now() + MEDIA_PATH_MS;
      for (;;) {
        const pcs = room.engine.pcManager;
        const path = (await chosenPath(pcs?.subscriber)) ?? (await chosenPath(pcs?.publisher));
        if (path !== undefined) return { ok: true, detail: path };
        if (Date.now() >= deadline) return { ok: false, reason: 'no_media_path' };
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async relay() {
      // LiveKit's answer to the join, which the livekit check waited for.
      const servers = turnServers(room.engine.latestJoinResponse?.iceServers ?? []);
      return servers.length === 0
        ? { ok: false, reason: 'relay_not_offered' }
        : relayCandidate(servers, RELAY_GATHER_MS);
    },
    camera: () => device('video'),
    microphone: () => device('audio'),
    close: () => room.disconnect(),
  };
}

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';
import tls from 'node:tls';
import { STREAM_URL_PARTS, type RecorderOutput } from '@tandem/shared';

/** Where the page's chunks go. `write` is synchronous for a file, so a chunk is on disk before the next. */
export type ChunkSink = {
  write(chunk: Buffer): void;
  /** Everything written is handed over: the file synced, or ffmpeg done pushing. */
  close(): Promise<void>;
};

export type StreamEvents = {
  /** ffmpeg's health, every two seconds while it pushes. */
  progress(stats: { readonly fps: number; readonly bitrateKbps: number }): void;
  /** ffmpeg ended before it was asked to: why, in plain words (the key never in it). */
  failed(reason: string): void;
  /** Lines for the server's log (the key never in them). */
  note(line: string): void;
};

function fileSink(file: string): ChunkSink {
  const fd = fs.openSync(file, 'a');
  let open = true;
  return {
    write(chunk) {
      if (open) fs.writeSync(fd, chunk);
    },
    async close() {
      if (!open) return;
      open = false;
      fs.fsyncSync(fd);
      fs.closeSync(fd);
    },
  };
}

type RtmpDestination = Pick<Extract<RecorderOutput, { kind: 'rtmp' }>, 'url' | 'key' | 'address' | 'caFile'>;

/** An ingest address's parts: the URL without a trailing slash, its scheme, name, port and path. */
function ingestParts(out: Pick<RtmpDestination, 'url'>) {
  const ingest = out.url.replace(/\/+$/, '');
  const parts = STREAM_URL_PARTS.exec(ingest);
  if (parts === null) throw new Error('the ingest address has no host to pin');
  const [, scheme = '', name = '', rest = ''] = parts;
  const [, port, path = ''] = /^(?::(\d+))?(.*)$/s.exec(rest) ?? [];
  return {
    ingest,
    scheme,
    tls: /^rtmps:/i.test(scheme),
    /** The host as the person gave it, an IPv6 literal without its brackets. */
    name: name.replace(/^\[(.*)\]$/, '$1'),
    port: port === undefined ? undefined : Number(port),
    path,
  };
}

/**
 * ffmpeg's output arguments for the destination: the ingest URL with the stream key as its last
 * path segment. ffmpeg connects to the pinned `address` (IPv6 in brackets), and the host name the
 * person gave still reaches the ingest server as RTMP's tcUrl, which servers that host several
 * names route by. An `rtmps://` stream goes as plain RTMP to this process's TLS relay on loopback
 * (`relayPort`, see `openTlsRelay`), which carries it to the pinned address over TLS.
 */
export function rtmpOutput(out: RtmpDestination, relayPort?: number): string[] {
  const d = ingestParts(out);
  if (d.tls) {
    if (relayPort === undefined) throw new Error('an rtmps:// stream goes through the TLS relay');
    return ['-rtmp_tcurl', d.ingest, `rtmp://127.0.0.1:${relayPort}${d.path}/${out.key}`];
  }
  const host = out.address.includes(':') ? `[${out.address}]` : out.address;
  return ['-rtmp_tcurl', d.ingest, `${d.scheme}${host}${d.port === undefined ? '' : `:${d.port}`}${d.path}/${out.key}`];
}

/** Why a stream failed, as the host reads it: the usual causes, one wording each. */
const FAILURE = {
  refused: 'the destination refused the connection: check the server address',
  wrongName: 'the destination’s TLS certificate is not valid for its name: the stream was not sent',
  untrusted: 'the destination’s TLS certificate is not trusted: the stream was not sent',
  timedOut: 'the destination did not answer in time',
  closed: 'the destination closed the connection',
} as const;

/** How long the relay waits for the destination's TCP and TLS handshakes. */
const TLS_CONNECT_MS = 15_000;
/** RTMPS's port when the URL names none (ffmpeg's default too). */
const RTMPS_PORT = 443;

/** A TLS error of Node's (`code`) in words for people; certificate errors say the stream was never sent. */
export function tlsFailure(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return FAILURE.wrongName;
  if (/CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ISSUER/.test(code)) return FAILURE.untrusted;
  if (code === 'ECONNREFUSED') return FAILURE.refused;
  if (code === 'ETIMEDOUT') return FAILURE.timedOut;
  return `${FAILURE.closed} (TLS: ${error.message})`;
}

type TlsRelay = { readonly port: number; close(): void };

/**
 * RTMPS is done here rather than by ffmpeg: given an address, ffmpeg's TLS sends no server name
 * (SNI), and ingests behind CDNs pick their certificate by it, so a pinned stream would meet a
 * default certificate and fail. The relay listens on loopback for ffmpeg's one connection (then
 * stops listening) and carries it over TLS to the pinned `address`, naming the host the person
 * gave (SNI, unless it is an address itself) and requiring a certificate valid for that name,
 * chained to `caFile`'s authorities or else Node's (Mozilla's list, plus NODE_EXTRA_CA_CERTS).
 * Nothing of ffmpeg's reaches the destination before the certificate is checked. `failed` says
 * why the TLS connection could not be made or broke.
 */
async function openTlsRelay(out: RtmpDestination, failed: (reason: string) => void): Promise<TlsRelay> {
  const d = ingestParts(out);
  const ca = out.caFile === undefined ? undefined : fs.readFileSync(out.caFile);
  const server = net.createServer((local) => {
    server.close();
    local.pause();
    const remote = tls.connect({
      host: out.address,
      port: d.port ?? RTMPS_PORT,
      ...(net.isIP(d.name) === 0 ? { servername: d.name } : {}),
      ...(ca === undefined ? {} : { ca }),
      checkServerIdentity: (_address, certificate) => tls.checkServerIdentity(d.name, certificate),
      timeout: TLS_CONNECT_MS,
    });
    remote.once('timeout', () => remote.destroy(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })));
    remote.once('secureConnect', () => {
      remote.setTimeout(0);
      local.pipe(remote);
      remote.pipe(local);
    });
    remote.on('error', (e) => {
      failed(tlsFailure(e));
      local.destroy();
    });
    remote.once('close', () => local.destroy());
    local.on('error', () => remote.destroy());
    local.once('close', () => remote.end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the TLS relay has no port');
  return {
    port: address.port,
    /** Stops waiting for ffmpeg; a connection made ends with ffmpeg's (its tail still goes out). */
    close() {
      server.close();
    },
  };
}

/** ffmpeg's `bitrate=  131.1kbits/s` (or `N/A` before the first packet) in kbit/s. */
function kbps(value: string | undefined): number {
  const n = Number.parseFloat(value ?? '');
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

/**
 * What ffmpeg's last error lines say, in words for people: the usual causes named, else the last
 * line itself. `hide` takes the stream key out first.
 */
export function streamFailure(lines: readonly string[], code: number | null, hide: (text: string) => string): string {
  const text = hide(lines.join('\n'));
  if (/Connection refused/i.test(text)) return FAILURE.refused;
  if (/Connection timed out|timed out/i.test(text)) return FAILURE.timedOut;
  if (/Name or service not known|resolve|Failed to resolve/i.test(text))
    return 'the destination server name does not resolve';
  if (/Server error|NetStream\.Publish\.BadName|Unauthorized|Forbidden|403/i.test(text))
    return 'the destination refused the stream: check the stream key';
  if (/Broken pipe|End of file|Connection reset/i.test(text)) return FAILURE.closed;
  const last = lines.length === 0 ? '' : hide(lines[lines.length - 1] ?? '').trim();
  return last === '' ? `the stream stopped (ffmpeg exit code ${String(code)})` : `the stream stopped: ${last}`;
}

/**
 * ffmpeg reading the page's fragmented MP4 (H.264 + Opus) on its standard input and pushing it to
 * the RTMP destination: the video as it is, the audio made AAC (what RTMP carries). Its
 * `-progress` blocks (key=value lines ending with `progress=`) become health reports.
 */
async function rtmpSink(out: Extract<RecorderOutput, { kind: 'rtmp' }>, events: StreamEvents): Promise<ChunkSink> {
  const hide = (text: string): string => text.split(out.key).join('•••');
  /** What the TLS relay saw go wrong: ffmpeg only sees its connection close then. */
  let tlsFailed: string | undefined;
  const relay = ingestParts(out).tls
    ? await openTlsRelay(out, (reason) => {
        tlsFailed ??= reason;
        events.note(`TLS relay: ${reason}`);
      })
    : undefined;
  const child = spawn(
    out.ffmpegPath,
    [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-nostats',
      '-stats_period',
      '2',
      '-progress',
      'pipe:1',
      '-f',
      'mp4',
      '-i',
      'pipe:0',
      '-map',
      '0:v:0',
      '-map',
      '0:a:0',
      '-c:v',
      'copy',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      '-ar',
      '48000',
      '-f',
      'flv',
      ...rtmpOutput(out, relay?.port),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let closing = false;
  const errors: string[] = [];
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      errors.push(error.message);
      resolve(null);
    });
  });
  void exited.then((code) => {
    relay?.close();
    if (!closing || code !== 0) events.failed(tlsFailed ?? streamFailure(errors, code, hide));
  });
  // A write after ffmpeg went away fails here; its exit says why.
  child.stdin.on('error', () => undefined);
  let block = new Map<string, string>();
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const at = line.indexOf('=');
    if (at <= 0) return;
    const key = line.slice(0, at).trim();
    block.set(key, line.slice(at + 1).trim());
    if (key !== 'progress') return;
    const outTime = Number(block.get('out_time_us') ?? block.get('out_time_ms') ?? '0');
    if (Number.isFinite(outTime) && outTime > 0)
      events.progress({ fps: kbps(block.get('fps')), bitrateKbps: kbps(block.get('bitrate')) });
    block = new Map();
  });
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    errors.push(line);
    if (errors.length > 20) errors.shift();
    events.note(`ffmpeg: ${hide(line)}`);
  });
  return {
    write(chunk) {
      if (closing || child.exitCode !== null) return;
      child.stdin.write(chunk);
    },
    async close() {
      if (closing) return;
      closing = true;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function openSink(output: RecorderOutput, events: StreamEvents): Promise<ChunkSink> {
  switch (output.kind) {
    case 'file':
      return fileSink(output.path);
    case 'rtmp':
      return rtmpSink(output, events);
    default: {
      const never: never = output;
      throw new Error(`unknown output ${String(never)}`);
    }
  }
}

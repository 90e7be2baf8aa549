import { spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
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

/**
 * ffmpeg's output arguments for the destination: the ingest URL with the stream key as its last
 * path segment. ffmpeg connects to the pinned `address` (IPv6 in brackets), and the host name the
 * person gave still reaches the ingest server as RTMP's tcUrl, which servers that host several
 * names route by. For `rtmps://` ffmpeg's TLS verifies the certificate (`-tls_verify 1`, against
 * `caFile` or the system's authorities) for that name (`-verifyhost`), not the address it dials.
 * It sends no SNI then (ffmpeg leaves it out when the URL's host is an address): an ingest that
 * picks its certificate by SNI shows its default one, which must be valid for the name too.
 */
export function rtmpOutput(
  out: Pick<Extract<RecorderOutput, { kind: 'rtmp' }>, 'url' | 'key' | 'address' | 'caFile'>,
): string[] {
  const ingest = out.url.replace(/\/+$/, '');
  const parts = STREAM_URL_PARTS.exec(ingest);
  if (parts === null) throw new Error('the ingest address has no host to pin');
  const [, scheme = '', name = '', rest = ''] = parts;
  const host = out.address.includes(':') ? `[${out.address}]` : out.address;
  const tls = /^rtmps:/i.test(scheme)
    ? [
        '-tls_verify',
        '1',
        '-verifyhost',
        name.replace(/^\[(.*)\]$/, '$1'),
        ...(out.caFile === undefined ? [] : ['-ca_file', out.caFile]),
      ]
    : [];
  return ['-rtmp_tcurl', ingest, ...tls, `${scheme}${host}${rest}/${out.key}`];
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
  if (/Connection refused/i.test(text)) return 'the destination refused the connection: check the server address';
  if (/certificate's owner does not match hostname/i.test(text))
    return 'the destination’s TLS certificate is not valid for its name: the stream was not sent';
  if (/certificate failed verification|Unable to verify peer certificate/i.test(text))
    return 'the destination’s TLS certificate is not trusted: the stream was not sent';
  if (/Connection timed out|timed out/i.test(text)) return 'the destination did not answer in time';
  if (/Name or service not known|resolve|Failed to resolve/i.test(text))
    return 'the destination server name does not resolve';
  if (/Server error|NetStream\.Publish\.BadName|Unauthorized|Forbidden|403/i.test(text))
    return 'the destination refused the stream: check the stream key';
  if (/Broken pipe|End of file|Connection reset/i.test(text)) return 'the destination closed the connection';
  const last = lines.length === 0 ? '' : hide(lines[lines.length - 1] ?? '').trim();
  return last === '' ? `the stream stopped (ffmpeg exit code ${String(code)})` : `the stream stopped: ${last}`;
}

/**
 * ffmpeg reading the page's fragmented MP4 (H.264 + Opus) on its standard input and pushing it to
 * the RTMP destination: the video as it is, the audio made AAC (what RTMP carries). Its
 * `-progress` blocks (key=value lines ending with `progress=`) become health reports.
 */
function rtmpSink(out: Extract<RecorderOutput, { kind: 'rtmp' }>, events: StreamEvents): ChunkSink {
  const hide = (text: string): string => text.split(out.key).join('•••');
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
      ...rtmpOutput(out),
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
    if (!closing || code !== 0) events.failed(streamFailure(errors, code, hide));
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

export function openSink(output: RecorderOutput, events: StreamEvents): ChunkSink {
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

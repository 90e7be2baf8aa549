import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aptInstall, isDebianRoot } from './debian.ts';
import { logsDir } from './paths.ts';
import { PortTaken, freeTcpPort, onFreshPorts, spawnListening } from './ports.ts';
import type { Spawned } from './processes.ts';
import { SetupError } from './setupError.ts';
import type { TestCertificate } from './testCertificates.ts';

const NGINX = '/usr/sbin/nginx';
const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';
/** TCP proxying with TLS termination: the RTMPS endpoint in front of the RTMP server. */
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

const installed = (): boolean => [NGINX, RTMP_MODULE, STREAM_MODULE].every((file) => fs.existsSync(file));

/**
 * Finds nginx with its RTMP and stream modules (Debian's `nginx`, `libnginx-mod-rtmp` and
 * `libnginx-mod-stream`), the local RTMP(S) server live streams are tested against; on Debian as
 * root installs them when missing. The package's own service is never started (tests start their
 * own nginx on loopback).
 */
export function ensureRtmpServer(log: (line: string) => void = () => {}): string {
  if (installed()) return NGINX;
  if (isDebianRoot()) {
    aptInstall(['nginx', 'libnginx-mod-rtmp', 'libnginx-mod-stream'], log);
    if (installed()) return NGINX;
  }
  throw new SetupError(
    'nginx with its RTMP and stream modules is missing (live streaming tests need it): on Debian run ' +
      '`apt-get install nginx libnginx-mod-rtmp libnginx-mod-stream` as root.',
  );
}

export type RunningRtmpServer = {
  /** The ingest address to stream to, without a key: `rtmp://127.0.0.1:<port>/live`. */
  readonly url: string;
  readonly port: number;
  /**
   * Loopback ports where nginx terminates TLS and passes the stream on to `port`: one per
   * certificate asked for, shown only to a client that names a server (SNI).
   */
  readonly rtmpsPorts: readonly number[];
  /** Where nginx records what it receives for a stream key (`record all`): `<dir>/<key>.flv`. */
  recorded(key: string): string;
  stop(): Promise<void>;
};

/**
 * Starts a throw-away nginx-rtmp on loopback: one process (no master, no daemon) with its
 * configuration, logs and recordings in a temporary folder; application `live` takes any key
 * and records each stream to `<key>.flv`, which a test reads with ffprobe. With `tls`, nginx's
 * stream module also terminates TLS with each certificate on a port of its own (`rtmpsPorts`)
 * and passes the plain stream on: an RTMPS ingest, which, like those behind CDNs, shows its
 * certificate only to a client that sends a server name (SNI).
 */
export function startRtmpServer(
  options: { readonly tls?: readonly TestCertificate[] } = {},
): Promise<RunningRtmpServer> {
  // A port chosen free may be taken before nginx binds it (servers of other test runs start beside it).
  return onFreshPorts(3, () => startOnFreshPorts(options));
}

async function startOnFreshPorts(options: { readonly tls?: readonly TestCertificate[] }): Promise<RunningRtmpServer> {
  const nginx = ensureRtmpServer();
  const port = await freeTcpPort();
  const tls: { readonly certificate: TestCertificate; readonly port: number }[] = [];
  for (const certificate of options.tls ?? []) tls.push({ certificate, port: await freeTcpPort() });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-rtmp-'));
  const conf = path.join(dir, 'nginx.conf');
  const noSni = path.join(dir, 'no-certificate-without-sni.pem');
  fs.writeFileSync(
    conf,
    [
      `load_module ${RTMP_MODULE};`,
      ...(tls.length === 0 ? [] : [`load_module ${STREAM_MODULE};`]),
      'daemon off;',
      'master_process off;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'error.log')} info;`,
      'events { worker_connections 64; }',
      'rtmp {',
      '  server {',
      `    listen 127.0.0.1:${port};`,
      '    application live {',
      '      live on;',
      '      record all;',
      `      record_path ${dir};`,
      '      record_unique off;',
      '    }',
      '  }',
      '}',
      ...(tls.length === 0
        ? []
        : [
            'stream {',
            // Like a CDN's front, each port has its certificate only for a client that names a
            // server (SNI): without a name nginx finds no certificate file and ends the handshake.
            ...tls.flatMap((t, i) => [
              `  map $ssl_server_name $tls_cert_${i} { "" ${noSni}; default ${t.certificate.certFile}; }`,
              `  map $ssl_server_name $tls_key_${i} { "" ${noSni}; default ${t.certificate.keyFile}; }`,
              '  server {',
              `    listen 127.0.0.1:${t.port} ssl;`,
              `    ssl_certificate $tls_cert_${i};`,
              `    ssl_certificate_key $tls_key_${i};`,
              `    proxy_pass 127.0.0.1:${port};`,
              '  }',
            ]),
            '}',
          ]),
      '',
    ].join('\n'),
  );
  fs.mkdirSync(logsDir, { recursive: true });
  const logFile = path.join(logsDir, `rtmp-${port}.log`);
  let proc: Spawned;
  try {
    const args = ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log')];
    proc = await spawnListening(nginx, args, logFile, [port, ...tls.map((t) => t.port)], 10_000);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    if (e instanceof PortTaken) throw e;
    throw new Error(`nginx-rtmp did not start; see ${logFile} and ${dir}/error.log`, { cause: e });
  }
  return {
    url: `rtmp://127.0.0.1:${port}/live`,
    port,
    rtmpsPorts: tls.map((t) => t.port),
    recorded: (key) => path.join(dir, `${key}.flv`),
    async stop() {
      await proc.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

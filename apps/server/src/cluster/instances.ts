import path from 'node:path';
import { freeTcpPort, logsDir, spawnOwned, type LivekitInfo, type Spawned } from '@tandem/devstack';
import { api, type Api } from '../testSupport.ts';

/** A coordination server in a process of its own (src/main.ts), as deployed: what a test can SIGKILL. */
export type Instance = {
  readonly url: string;
  readonly api: Api;
  readonly process: Spawned;
};

const MAIN = path.join(import.meta.dirname, '..', 'main.ts');

/**
 * Starts src/main.ts with `env` on `fixedPort` (a free one unless given, e.g. where LiveKit already
 * posts its webhooks) and waits until /healthz answers.
 */
export async function startInstance(
  livekit: LivekitInfo,
  env: Readonly<Record<string, string>>,
  name: string,
  fixedPort?: number,
): Promise<Instance> {
  const port = fixedPort ?? (await freeTcpPort());
  const proc = spawnOwned(process.execPath, ['--import', 'tsx', MAIN], path.join(logsDir, `${name}-${port}.log`), {
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
    if (proc.child.exitCode !== null) throw new Error(`instance ${name} exited with ${proc.child.exitCode}`);
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status < 500 || r.status === 503,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`instance ${name} did not answer within 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, api: api(url), process: proc };
}

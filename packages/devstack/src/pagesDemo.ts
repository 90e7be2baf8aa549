import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freeTcpPort } from './ports.ts';
import { repoRoot, toolsDir } from './paths.ts';
import { spawnOwned } from './processes.ts';
import { SetupError } from './setupError.ts';
import { ensurePinnedVenv } from './venv.ts';

/** The Flask-AppBuilder demo (examples/flask-appbuilder): its app, pinned packages and venv. */
const demoDir = path.join(repoRoot, 'examples', 'flask-appbuilder');
const venvDir = path.join(toolsDir, 'pages-demo-venv');
/** The page SDK's drop-in script, which the demo serves in its base template. */
export const pageSdkScript = path.join(repoRoot, 'packages', 'page-sdk', 'dist', 'tandem-pages.js');

/** Makes the demo's venv (Flask-AppBuilder 5.3.0 from pinned wheels); returns its Python. */
export function ensurePagesDemo(log: (line: string) => void = () => {}): string {
  return ensurePinnedVenv(
    {
      purpose: 'the pages demo',
      requirements: path.join(demoDir, 'requirements.txt'),
      dir: venvDir,
      pythons: ['3.11'],
    },
    log,
  );
}

/** Builds the page SDK (ESM and the drop-in script) with its own build script. */
export function buildPageSdk(): string {
  const built = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'packages/page-sdk/scripts/build.ts')],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  if (built.status !== 0) throw new SetupError(`the page SDK did not build: ${built.stderr}${built.stdout}`);
  return pageSdkScript;
}

export type PagesDemoOptions = {
  /** The coordination server the demo's backend and the SDK talk to. */
  readonly tandemUrl: string;
  /** An API key of the organisation with `pages:write`. */
  readonly apiKey: string;
  /** `email:Full Name` of each person who may sign in to the demo (the same e-mails as in Tandem). */
  readonly users: readonly string[];
  readonly password: string;
  /** Its SQLite file (made and seeded when missing). */
  readonly database: string;
  readonly logFile: string;
  readonly port?: number;
};

export type RunningPagesDemo = { readonly url: string; stop(): Promise<void> };

/** Starts the demo app (building the SDK first) and resolves once it answers. */
export async function startPagesDemo(o: PagesDemoOptions): Promise<RunningPagesDemo> {
  const python = ensurePagesDemo();
  buildPageSdk();
  const port = o.port ?? (await freeTcpPort());
  fs.mkdirSync(path.dirname(o.logFile), { recursive: true });
  const app = spawnOwned(python, [path.join(demoDir, 'app.py')], o.logFile, {
    PORT: String(port),
    TANDEM_URL: o.tandemUrl,
    TANDEM_API_KEY: o.apiKey,
    TANDEM_SDK_FILE: pageSdkScript,
    DEMO_DATABASE: o.database,
    DEMO_USERS: o.users.join(','),
    DEMO_PASSWORD: o.password,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${url}/login/`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (app.child.exitCode !== null || Date.now() > deadline) {
      await app.stop();
      throw new Error(`the pages demo did not start; see ${o.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop: () => app.stop() };
}

/**
 * The Electron build of better-sqlite3 for development.
 *
 * node_modules holds better-sqlite3 compiled for Node (tests, the e2e harness and benchmarks load
 * it). Electron has another native-module ABI, so `npm start` (and `npm run rebuild:electron`)
 * make a second build with @electron/rebuild, the tool electron-builder itself uses, in a
 * scratch copy of the package, and keep only its `better_sqlite3.node` in
 * `.tools/electron-native/electron-<abi>-<platform>-<arch>/`, where the app's cache worker looks
 * for it (apps/desktop/src/main/db/nativeBinding.ts). node_modules is never touched.
 *
 * The rebuild fetches a prebuilt binary or Electron's headers from the internet: it works where
 * Electron itself can be downloaded, and fails with a SetupError saying so elsewhere. Nothing
 * here runs during `npm ci` or `npm test`.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ElectronProbe } from './electronProbe.ts';
import { repoRoot, toolsDir } from './paths.ts';
import { SetupError } from './setupError.ts';

/** The Electron the app runs on: its version and native-module ABI, for this machine. */
export type ElectronTarget = {
  readonly version: string;
  readonly abi: string;
  readonly platform: string;
  readonly arch: string;
};

/** What a finished build records beside its binary, so a changed input triggers a new one. */
export type NativeStamp = { readonly electron: string; readonly betterSqlite3: string };

export type NativePlan = { readonly kind: 'ready' } | { readonly kind: 'build'; readonly reason: string };

export const BINDING_FILE = 'better_sqlite3.node';
const STAMP_FILE = 'build.json';

/** Where the separate builds live: the app searches this folder when unpackaged. */
export const electronNativeRoot = path.join(toolsDir, 'electron-native');

/** The folder for one target; the name is the one the app derives from its own runtime. */
export function electronNativeDir(target: ElectronTarget, root: string = electronNativeRoot): string {
  return path.join(root, `electron-${target.abi}-${target.platform}-${target.arch}`);
}

/**
 * Whether the present build is good: its binary is there and was made from this Electron and
 * this better-sqlite3 (the binary must match the package's JavaScript, not only the ABI).
 */
export function planElectronNative(
  target: ElectronTarget,
  betterSqlite3: string,
  present: { readonly binding: boolean; readonly stamp: NativeStamp | undefined },
): NativePlan {
  if (!present.binding) return { kind: 'build', reason: 'there is no Electron build yet' };
  const stamp = present.stamp;
  if (stamp === undefined) return { kind: 'build', reason: 'the build records no versions' };
  if (stamp.electron !== target.version) {
    return { kind: 'build', reason: `it was made for Electron ${stamp.electron}, not ${target.version}` };
  }
  if (stamp.betterSqlite3 !== betterSqlite3) {
    return { kind: 'build', reason: `it was made from better-sqlite3 ${stamp.betterSqlite3}, not ${betterSqlite3}` };
  }
  return { kind: 'ready' };
}

/**
 * The native-module ABIs a compiled addon registers for: a non-N-API addon such as
 * better-sqlite3 exports `node_register_module_v<abi>`, a plain string in any binary format.
 */
export function registeredAbis(binary: Buffer): string[] {
  const found = new Set<string>();
  for (const match of binary.toString('latin1').matchAll(/node_register_module_v(\d+)/g)) found.add(match[1] ?? '');
  return [...found].sort();
}

/**
 * The environment for the rebuild. `npm_config_nodedir` (npm exports it from an npmrc's
 * `nodedir`) points node-gyp at Node's own headers, which silently builds for Node's ABI
 * whatever Electron version it is given: it must not reach the rebuild.
 */
export function rebuildEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'));
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
}

function versionOf(packageJson: string): string {
  const { version } = readJson(packageJson) as { version?: unknown };
  if (typeof version !== 'string') throw new SetupError(`${packageJson} has no version`);
  return version;
}

/**
 * The installed Electron package's version and ABI. The package ships `abi_version` beside its
 * package.json, so neither the binary nor the network is needed to know it.
 */
export function electronTarget(
  electronPackageDir: string = path.join(repoRoot, 'node_modules', 'electron'),
  platform: string = process.platform,
  arch: string = process.arch,
): ElectronTarget {
  const abiFile = path.join(electronPackageDir, 'abi_version');
  if (!fs.existsSync(abiFile)) {
    throw new SetupError(`cannot tell Electron's native-module ABI: ${abiFile} is missing (is electron installed?)`);
  }
  const abi = fs.readFileSync(abiFile, 'utf8').trim();
  if (!/^\d+$/.test(abi)) throw new SetupError(`${abiFile} holds no ABI number: ${JSON.stringify(abi)}`);
  return { version: versionOf(path.join(electronPackageDir, 'package.json')), abi, platform, arch };
}

function readStamp(dir: string): NativeStamp | undefined {
  try {
    const stamp = readJson(path.join(dir, STAMP_FILE)) as Partial<NativeStamp>;
    return typeof stamp.electron === 'string' && typeof stamp.betterSqlite3 === 'string'
      ? { electron: stamp.electron, betterSqlite3: stamp.betterSqlite3 }
      : undefined;
  } catch {
    return undefined;
  }
}

/** What better-sqlite3's build needs: its sources, package.json and binding.gyp, not its Node build. */
function copySources(from: string, to: string): void {
  fs.cpSync(from, to, {
    recursive: true,
    filter: (source) => {
      const relative = path.relative(from, source).split(path.sep);
      return relative[0] !== 'build' && relative[0] !== 'bin' && relative[0] !== 'node_modules';
    },
  });
}

/**
 * Makes (or keeps) the Electron build for `target` and returns its path. `force` rebuilds even
 * when the present one is good.
 */
export async function ensureElectronNative(
  say: (line: string) => void,
  options: { readonly target?: ElectronTarget; readonly force?: boolean } = {},
): Promise<string> {
  const target = options.target ?? electronTarget();
  const require = createRequire(path.join(repoRoot, 'apps', 'desktop', 'package.json'));
  const packageDir = path.dirname(require.resolve('better-sqlite3/package.json'));
  const betterSqlite3 = versionOf(path.join(packageDir, 'package.json'));
  const dir = electronNativeDir(target);
  const binding = path.join(dir, BINDING_FILE);
  const plan = planElectronNative(target, betterSqlite3, {
    binding: fs.existsSync(binding),
    stamp: readStamp(dir),
  });
  if (plan.kind === 'ready' && options.force !== true) return binding;

  say(
    `building better-sqlite3 ${betterSqlite3} for Electron ${target.version} (ABI ${target.abi}): ` +
      `${plan.kind === 'build' ? plan.reason : 'asked to'}…`,
  );
  // A scratch project holding a copy of the package: @electron/rebuild rebuilds in place, and
  // node_modules must keep the Node build.
  const scratch = path.join(electronNativeRoot, '.scratch');
  fs.rmSync(scratch, { recursive: true, force: true });
  const moduleCopy = path.join(scratch, 'node_modules', 'better-sqlite3');
  copySources(packageDir, moduleCopy);
  fs.writeFileSync(
    path.join(scratch, 'package.json'),
    JSON.stringify({
      name: 'electron-native-scratch',
      private: true,
      dependencies: { 'better-sqlite3': betterSqlite3 },
    }),
  );
  // @electron/rebuild hands node-gyp a copy of process.env: clean it for the rebuild's duration.
  const saved = process.env;
  process.env = rebuildEnvironment(saved);
  try {
    const { rebuild } = await import('@electron/rebuild');
    await rebuild({
      buildPath: scratch,
      electronVersion: target.version,
      arch: target.arch,
      onlyModules: ['better-sqlite3'],
      force: true,
    });
  } catch (error) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw new SetupError(
      `could not build better-sqlite3 for Electron ${target.version}: ${error instanceof Error ? error.message : String(error)}. ` +
        'The rebuild downloads a prebuilt binary or Electron’s headers, so it needs the internet ' +
        '(as Electron’s own first launch does); run `npm run rebuild:electron` again where it is reachable.',
    );
  } finally {
    process.env = saved;
  }
  const built = path.join(moduleCopy, 'build', 'Release', BINDING_FILE);
  if (!fs.existsSync(built)) throw new SetupError(`the Electron rebuild left no ${built}`);
  // A build against the wrong headers succeeds quietly; Electron would refuse it at launch.
  const abis = registeredAbis(fs.readFileSync(built));
  if (abis.length > 0 && !abis.includes(target.abi)) {
    throw new SetupError(
      `the rebuild made better-sqlite3 for ABI ${abis.join(', ')}, not Electron ${target.version}'s ${target.abi} ` +
        '(node-gyp found Node’s headers instead of Electron’s: is `nodedir` set in an npmrc?)',
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(built, binding);
  fs.writeFileSync(
    path.join(dir, STAMP_FILE),
    `${JSON.stringify({ electron: target.version, betterSqlite3 } satisfies NativeStamp)}\n`,
  );
  fs.rmSync(scratch, { recursive: true, force: true });
  say(`better-sqlite3 for Electron: ${binding}`);
  return binding;
}

export type DesktopStart =
  { readonly launch: true; readonly binary: string } | { readonly launch: false; readonly reason: string };

/**
 * Whether `npm start` launches the desktop app. The Electron build is made only where Electron
 * can launch (so never on a machine without the binary, never in `npm test`); when it cannot be
 * made, the app is not launched, since its cache could not open, and the reason says what to do.
 */
export async function desktopStart(probe: ElectronProbe, ensureNative: () => Promise<unknown>): Promise<DesktopStart> {
  if (!probe.canLaunch) return { launch: false, reason: probe.reason };
  try {
    await ensureNative();
  } catch (error) {
    if (error instanceof SetupError) return { launch: false, reason: error.message };
    throw error;
  }
  return { launch: true, binary: probe.binary };
}

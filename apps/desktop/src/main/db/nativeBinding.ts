/**
 * Which compiled better-sqlite3 the cache worker loads.
 *
 * Node and Electron have different native-module ABIs (`process.versions.modules`), and one
 * `node_modules` serves both: the Node build there is what the tests, the e2e harness and the
 * benchmarks load. Inside an unpackaged Electron (`npm start`) the worker must load a separate
 * Electron build, made by `npm run rebuild:electron` (which `npm start` runs) into
 * `.tools/electron-native/electron-<abi>-<platform>-<arch>/better_sqlite3.node`, through
 * better-sqlite3's `nativeBinding` option. A packaged app needs none: electron-builder rebuilds
 * the package's own build for Electron's ABI (`npmRebuild: true` in electron-builder.yml).
 *
 * Pure: the runtime and the file system come in as arguments, so every case is tested under Node.
 */
import path from 'node:path';

/** The facts of the running process that decide the build, from `process.versions` and `process`. */
export type NativeRuntime = {
  /** `process.versions.electron`: undefined under plain Node. */
  readonly electron: string | undefined;
  /** `process.versions.modules`: the native-module ABI of this runtime. */
  readonly modules: string;
  readonly platform: string;
  readonly arch: string;
};

/** Where main says separate Electron builds may be, and whether the app is packaged. */
export type NativeLookup = {
  /** `app.isPackaged`: electron-builder rebuilt the package's own build for Electron's ABI. */
  readonly packaged: boolean;
  /** Folders holding `electron-<abi>-<platform>-<arch>/better_sqlite3.node`, searched in order. */
  readonly searchDirs: readonly string[];
};

/** The command that makes the missing build; named in the error so the fix is one line away. */
export const ELECTRON_REBUILD_COMMAND = 'npm run rebuild:electron';

/** The file name better-sqlite3's build produces, kept in the separate build's folder. */
export const BINDING_FILE = 'better_sqlite3.node';

/** The folder, under a search dir, that holds the build for exactly this runtime. */
export function electronBuildDirName(runtime: Pick<NativeRuntime, 'modules' | 'platform' | 'arch'>): string {
  return `electron-${runtime.modules}-${runtime.platform}-${runtime.arch}`;
}

/** The development search dir: `.tools/electron-native` at the root of the repository. */
export function devNativeDir(repoRoot: string): string {
  return path.join(repoRoot, '.tools', 'electron-native');
}

/** The runtime facts of this process (the worker's: the same binary as main's). */
export function currentRuntime(): NativeRuntime {
  return {
    electron: process.versions.electron,
    modules: process.versions.modules,
    platform: process.platform,
    arch: process.arch,
  };
}

/** Unpackaged Electron with no build for its ABI: the package's Node build would fail to load. */
export class NativeBindingError extends Error {
  readonly code = 'native_module_missing';
  /** Every path looked at, in order. */
  readonly searched: readonly string[];

  constructor(runtime: NativeRuntime, searched: readonly string[]) {
    super(
      `better-sqlite3 has no build for Electron ${runtime.electron ?? '?'} (ABI ${runtime.modules}, ` +
        `${runtime.platform}-${runtime.arch}); looked for ${searched.length === 0 ? 'none' : searched.join(', ')}. ` +
        `Run \`${ELECTRON_REBUILD_COMMAND}\` at the root of the repository (\`npm start\` runs it).`,
    );
    this.name = 'NativeBindingError';
    this.searched = searched;
  }
}

/**
 * The `nativeBinding` path to give better-sqlite3, or undefined for the package's own build.
 *
 * - Plain Node: the package's own build (it was compiled for this Node at install).
 * - Electron: a present build for this exact ABI, platform and arch wins, packaged or not.
 * - Packaged Electron without one: the package's own build, rebuilt for Electron when packaging.
 * - Unpackaged Electron without one: NativeBindingError, since node_modules holds the Node build,
 *   which Electron refuses to load ("compiled against a different Node.js version").
 */
export function selectNativeBinding(
  runtime: NativeRuntime,
  lookup: NativeLookup,
  exists: (file: string) => boolean,
): string | undefined {
  if (runtime.electron === undefined) return undefined;
  const candidates = lookup.searchDirs.map((dir) => path.join(dir, electronBuildDirName(runtime), BINDING_FILE));
  const found = candidates.find(exists);
  if (found !== undefined) return found;
  if (lookup.packaged) return undefined;
  throw new NativeBindingError(runtime, candidates);
}

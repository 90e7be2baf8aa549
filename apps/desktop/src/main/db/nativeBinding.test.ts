import path from 'node:path';
import { electronNativeDir, electronNativeRoot, repoRoot } from '@tandem/devstack';
import { describe, expect, it } from 'vitest';
import {
  BINDING_FILE,
  ELECTRON_REBUILD_COMMAND,
  NativeBindingError,
  currentRuntime,
  devNativeDir,
  electronBuildDirName,
  selectNativeBinding,
  type NativeRuntime,
} from './nativeBinding.ts';

const node: NativeRuntime = { electron: undefined, modules: '115', platform: 'linux', arch: 'x64' };
const electron: NativeRuntime = { electron: '45.5.0', modules: '150', platform: 'linux', arch: 'x64' };
const dev = devNativeDir('/repo');
const devBuild = path.join(dev, 'electron-150-linux-x64', BINDING_FILE);

const only =
  (...present: string[]) =>
  (file: string) =>
    present.includes(file);
const none = () => false;

describe('selectNativeBinding', () => {
  it('keeps the package’s own build under Node, whatever lies in the search dirs', () => {
    expect(selectNativeBinding(node, { packaged: false, searchDirs: [dev] }, () => true)).toBeUndefined();
    expect(selectNativeBinding(node, { packaged: true, searchDirs: [] }, none)).toBeUndefined();
  });

  it('loads the development Electron build for this ABI, platform and arch', () => {
    expect(devBuild).toBe(
      path.join('/repo', '.tools', 'electron-native', 'electron-150-linux-x64', 'better_sqlite3.node'),
    );
    expect(selectNativeBinding(electron, { packaged: false, searchDirs: [dev] }, only(devBuild))).toBe(devBuild);
  });

  it('takes the first search dir that has the build', () => {
    const other = path.join('/elsewhere', 'electron-150-linux-x64', BINDING_FILE);
    const lookup = { packaged: false, searchDirs: ['/elsewhere', dev] };
    expect(selectNativeBinding(electron, lookup, only(devBuild))).toBe(devBuild);
    expect(selectNativeBinding(electron, lookup, only(devBuild, other))).toBe(other);
  });

  it('never loads a build for another ABI, platform or arch', () => {
    const wrong = [
      path.join(dev, 'electron-146-linux-x64', BINDING_FILE),
      path.join(dev, 'electron-150-darwin-x64', BINDING_FILE),
      path.join(dev, 'electron-150-linux-arm64', BINDING_FILE),
    ];
    expect(() => selectNativeBinding(electron, { packaged: false, searchDirs: [dev] }, only(...wrong))).toThrow(
      NativeBindingError,
    );
  });

  it('uses the package’s own build in a packaged app (electron-builder rebuilt it), a present match first', () => {
    expect(selectNativeBinding(electron, { packaged: true, searchDirs: [] }, none)).toBeUndefined();
    expect(selectNativeBinding(electron, { packaged: true, searchDirs: [dev] }, none)).toBeUndefined();
    expect(selectNativeBinding(electron, { packaged: true, searchDirs: [dev] }, only(devBuild))).toBe(devBuild);
  });

  it('refuses unpackaged Electron without a matching build, with a code and the command that fixes it', () => {
    let error: unknown;
    try {
      selectNativeBinding(electron, { packaged: false, searchDirs: [dev] }, none);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(NativeBindingError);
    const coded = error as NativeBindingError;
    expect(coded.code).toBe('native_module_missing');
    expect(coded.searched).toEqual([devBuild]);
    expect(coded.message).toContain(ELECTRON_REBUILD_COMMAND);
    expect(coded.message).toContain('Electron 45.5.0 (ABI 150, linux-x64)');
    expect(coded.message).toContain(devBuild);
  });

  it('refuses as well when main named no search dir', () => {
    expect(() => selectNativeBinding(electron, { packaged: false, searchDirs: [] }, () => true)).toThrow(
      /looked for none/,
    );
  });
});

describe('the runtime facts', () => {
  it('are this process’s: plain Node here, so the tests load the Node build', () => {
    const runtime = currentRuntime();
    expect(runtime.electron).toBeUndefined();
    expect(runtime.modules).toBe(process.versions.modules);
    expect(electronBuildDirName(runtime)).toBe(
      `electron-${process.versions.modules}-${process.platform}-${process.arch}`,
    );
  });
});

describe('agreement with the devstack step that makes the build', () => {
  it('looks where `npm run rebuild:electron` puts it', () => {
    expect(devNativeDir(repoRoot)).toBe(electronNativeRoot);
    const runtime = { ...electron, platform: process.platform, arch: process.arch };
    const made = electronNativeDir({ version: '45.5.0', abi: '150', platform: process.platform, arch: process.arch });
    expect(path.join(devNativeDir(repoRoot), electronBuildDirName(runtime))).toBe(made);
  });
});

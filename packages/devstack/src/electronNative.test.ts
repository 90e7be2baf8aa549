import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  desktopStart,
  electronNativeDir,
  electronNativeRoot,
  electronTarget,
  planElectronNative,
  rebuildEnvironment,
  registeredAbis,
  type ElectronTarget,
} from './electronNative.ts';
import { repoRoot } from './paths.ts';
import { SetupError } from './setupError.ts';

const target: ElectronTarget = { version: '45.5.0', abi: '150', platform: 'linux', arch: 'x64' };
const stamp = { electron: '45.5.0', betterSqlite3: '12.11.1' };

describe('planElectronNative', () => {
  it('keeps a build made from this Electron and this better-sqlite3', () => {
    expect(planElectronNative(target, '12.11.1', { binding: true, stamp })).toEqual({ kind: 'ready' });
  });

  it('builds when the binary is missing, unrecorded or made from other versions', () => {
    expect(planElectronNative(target, '12.11.1', { binding: false, stamp })).toMatchObject({ kind: 'build' });
    expect(planElectronNative(target, '12.11.1', { binding: true, stamp: undefined })).toMatchObject({
      kind: 'build',
    });
    expect(planElectronNative({ ...target, version: '45.6.0' }, '12.11.1', { binding: true, stamp })).toEqual({
      kind: 'build',
      reason: 'it was made for Electron 45.5.0, not 45.6.0',
    });
    expect(planElectronNative(target, '12.12.0', { binding: true, stamp })).toEqual({
      kind: 'build',
      reason: 'it was made from better-sqlite3 12.11.1, not 12.12.0',
    });
  });

  it('puts each ABI, platform and arch in its own folder under .tools/electron-native', () => {
    expect(electronNativeRoot).toBe(path.join(repoRoot, '.tools', 'electron-native'));
    expect(electronNativeDir(target, '/t')).toBe(path.join('/t', 'electron-150-linux-x64'));
    expect(electronNativeDir({ ...target, arch: 'arm64' }, '/t')).toBe(path.join('/t', 'electron-150-linux-arm64'));
  });
});

describe('electronTarget', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const fakeElectron = (files: Record<string, string>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-electron-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  };

  it('reads the version and the ABI the electron package ships, without its binary', () => {
    const dir = fakeElectron({ 'package.json': '{"version":"45.5.0"}', abi_version: '150\n' });
    expect(electronTarget(dir, 'darwin', 'arm64')).toEqual({
      version: '45.5.0',
      abi: '150',
      platform: 'darwin',
      arch: 'arm64',
    });
  });

  it('says so when the ABI cannot be known', () => {
    expect(() => electronTarget(fakeElectron({ 'package.json': '{"version":"45.5.0"}' }))).toThrow(SetupError);
    expect(() => electronTarget(fakeElectron({ 'package.json': '{"version":"45.5.0"}', abi_version: 'x' }))).toThrow(
      /no ABI number/,
    );
  });

  it('matches the installed electron package here', () => {
    const installed = electronTarget();
    expect(installed.abi).toMatch(/^\d+$/);
    expect(installed.abi).not.toBe(process.versions.modules);
  });
});

describe('checks on the rebuild', () => {
  it('reads the ABI an addon registers for', () => {
    const binary = Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('node_register_module_v150\0other\0')]);
    expect(registeredAbis(binary)).toEqual(['150']);
    expect(registeredAbis(Buffer.from('napi_register_module_v1'))).toEqual([]);
  });

  it('recognises that node_modules holds the Node build', () => {
    const nodeBuild = path.join(repoRoot, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    expect(registeredAbis(fs.readFileSync(nodeBuild))).toEqual([process.versions.modules]);
  });

  it('keeps nodedir (Node’s headers) away from node-gyp, and everything else', () => {
    expect(
      rebuildEnvironment({ PATH: '/bin', npm_config_nodedir: '/usr', NPM_CONFIG_NODEDIR: '/usr', npm_config_x: '1' }),
    ).toEqual({ PATH: '/bin', npm_config_x: '1' });
  });
});

describe('desktopStart', () => {
  it('neither builds nor launches where Electron cannot launch', async () => {
    const ensure = vi.fn(async () => 'built');
    expect(await desktopStart({ canLaunch: false, reason: 'no binary' }, ensure)).toEqual({
      launch: false,
      reason: 'no binary',
    });
    expect(ensure).not.toHaveBeenCalled();
  });

  it('makes the Electron build before launching', async () => {
    const ensure = vi.fn(async () => 'built');
    expect(await desktopStart({ canLaunch: true, binary: '/e/electron' }, ensure)).toEqual({
      launch: true,
      binary: '/e/electron',
    });
    expect(ensure).toHaveBeenCalledOnce();
  });

  it('does not launch an app whose cache could not open, and says why', async () => {
    const ensure = async () => {
      throw new SetupError('could not build better-sqlite3 for Electron 45.5.0: offline');
    };
    expect(await desktopStart({ canLaunch: true, binary: '/e/electron' }, ensure)).toEqual({
      launch: false,
      reason: 'could not build better-sqlite3 for Electron 45.5.0: offline',
    });
  });

  it('lets an unexpected failure through', async () => {
    await expect(
      desktopStart({ canLaunch: true, binary: '/e/electron' }, async () => Promise.reject(new TypeError('bug'))),
    ).rejects.toThrow(TypeError);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy, policySourceFor, type PolicySeams } from './loadPolicy.ts';
import { nodePolicySeams } from './nodeSeams.ts';

const unused = async (): Promise<never> => {
  throw new Error('this platform does not use this seam');
};

describe('policySourceFor', () => {
  const seams: PolicySeams = {
    runCommand: async () => ({ exitCode: 0, stdout: '    telemetry    REG_DWORD    0x0\r\n' }),
    readPlistXml: async () =>
      '<?xml version="1.0"?><plist version="1.0"><dict><key>autoUpdate</key><false/></dict></plist>',
    readOwnedFile: async () => ({ uid: 0, mode: 0o100644, text: '{"screenShare":"nobody"}' }),
    userName: 'ada',
  };

  it('reads the registry on Windows, managed preferences on macOS and the root-owned file on Linux', async () => {
    expect((await loadPolicy(policySourceFor('win32', seams))).policy).toEqual({ telemetry: false });
    expect((await loadPolicy(policySourceFor('darwin', seams))).policy).toEqual({ autoUpdate: false });
    expect((await loadPolicy(policySourceFor('linux', seams))).policy).toEqual({ screenShare: 'nobody' });
  });

  it('has no policy on other platforms', async () => {
    const none = { runCommand: unused, readPlistXml: unused, readOwnedFile: unused, userName: 'ada' };
    expect(await loadPolicy(policySourceFor('freebsd', none))).toEqual({ policy: {}, problems: [] });
  });

  it('reports a source that fails instead of throwing', async () => {
    const broken = { runCommand: unused, readPlistXml: unused, readOwnedFile: unused, userName: 'ada' };
    const { policy, problems } = await loadPolicy(policySourceFor('linux', broken));
    expect(policy).toEqual({});
    expect(problems[0]?.message).toBe('policy could not be read: this platform does not use this seam');
  });
});

describe('nodePolicySeams', () => {
  const seams = nodePolicySeams();

  it('runs a command and returns its exit code and output', async () => {
    const result = await seams.runCommand(process.execPath, ['-e', "process.stdout.write('out'); process.exit(3)"]);
    expect(result).toEqual({ exitCode: 3, stdout: 'out' });
  });

  it('reads an XML plist as text and a missing one as absent', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tandem-plist-'));
    try {
      const file = path.join(dir, 'com.tandem.desktop.plist');
      await writeFile(file, '<plist version="1.0"><dict/></plist>');
      expect(await seams.readPlistXml(file)).toBe('<plist version="1.0"><dict/></plist>');
      expect(await seams.readPlistXml(path.join(dir, 'missing.plist'))).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

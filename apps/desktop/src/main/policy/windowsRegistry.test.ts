import { describe, expect, it } from 'vitest';
import { loadPolicy } from './loadPolicy.ts';
import { parseRegQuery, windowsRegistrySource, type RunCommand } from './windowsRegistry.ts';

// Text as reg.exe prints it (CRLF, a leading blank line, four-space columns, subkeys listed last).
const MACHINE = [
  '',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Tandem\\Tandem',
  '    serverUrl    REG_SZ    https://tandem.corp.example',
  '    autoUpdate    REG_DWORD    0x0',
  '    screenShare    REG_SZ    hosts',
  '    defaultCamera    REG_SZ    Logitech BRIO 4K',
  '',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Tandem\\Tandem\\Extensions',
  '',
].join('\r\n');
const USER = [
  '',
  'HKEY_CURRENT_USER\\SOFTWARE\\Policies\\Tandem\\Tandem',
  '    serverUrl    REG_SZ    https://other.corp.example',
  '    telemetry    REG_DWORD    0x00000000',
  '    allow2160p    REG_DWORD    0x2',
  '    updateChannel    REG_BINARY    01',
  '',
].join('\r\n');
const NOT_FOUND = 'ERROR: The system was unable to find the specified registry key or value.\r\n';

/** Stands in for reg.exe (the Windows binary is not on this machine) and records what was asked. */
function fakeReg(byHive: Partial<Record<'HKLM' | 'HKCU', string>>): { run: RunCommand; calls: string[][] } {
  const calls: string[][] = [];
  const run: RunCommand = async (file, args) => {
    calls.push([file, ...args]);
    const hive = args[1]?.split('\\')[0];
    const stdout = hive === 'HKLM' || hive === 'HKCU' ? byHive[hive] : undefined;
    return stdout === undefined ? { exitCode: 1, stdout: NOT_FOUND } : { exitCode: 0, stdout };
  };
  return { run, calls };
}

describe('parseRegQuery', () => {
  it('reads strings and DWORDs, keeps spaces inside data, skips subkeys', () => {
    expect(parseRegQuery(MACHINE, 'HKLM').values).toEqual({
      serverUrl: 'https://tandem.corp.example',
      autoUpdate: 0,
      screenShare: 'hosts',
      defaultCamera: 'Logitech BRIO 4K',
    });
  });

  it('reports a value type it cannot read', () => {
    const { values, problems } = parseRegQuery(USER, 'HKCU');
    expect(values).not.toHaveProperty('updateChannel');
    expect(problems).toEqual([
      { source: 'HKCU', key: 'updateChannel', message: 'unsupported registry type REG_BINARY' },
    ]);
  });

  it('splits REG_MULTI_SZ and reads an empty REG_SZ', () => {
    const output = '    list    REG_MULTI_SZ    a\\0b c\r\n    empty    REG_SZ    \r\n';
    expect(parseRegQuery(output, 'HKLM').values).toEqual({ list: ['a', 'b c'], empty: '' });
  });
});

describe('windowsRegistrySource', () => {
  it('queries the machine policy key first, then the user key, in the 64-bit view', async () => {
    const { run, calls } = fakeReg({});
    await windowsRegistrySource(run).layers();
    expect(calls).toEqual([
      ['reg', 'query', 'HKLM\\SOFTWARE\\Policies\\Tandem\\Tandem', '/reg:64'],
      ['reg', 'query', 'HKCU\\SOFTWARE\\Policies\\Tandem\\Tandem', '/reg:64'],
    ]);
  });

  it('resolves machine over user, drops invalid values and reports them', async () => {
    const { run } = fakeReg({ HKLM: MACHINE, HKCU: USER });
    const { policy, problems } = await loadPolicy(windowsRegistrySource(run));
    expect(policy).toEqual({
      serverUrl: 'https://tandem.corp.example',
      autoUpdate: false,
      screenShare: 'hosts',
      defaultCamera: 'Logitech BRIO 4K',
      telemetry: false,
    });
    expect(problems.map((problem) => problem.key).sort()).toEqual(['allow2160p', 'updateChannel']);
  });

  it('reports reg.exe failing to run instead of treating it as no policy', async () => {
    const { policy, problems } = await loadPolicy(windowsRegistrySource(async () => ({ exitCode: -1, stdout: '' })));
    expect(policy).toEqual({});
    expect(problems.map((problem) => problem.message)).toEqual(['reg query exited -1', 'reg query exited -1']);
  });

  it('has no policy when neither key exists', async () => {
    expect(await loadPolicy(windowsRegistrySource(fakeReg({}).run))).toEqual({ policy: {}, problems: [] });
  });
});

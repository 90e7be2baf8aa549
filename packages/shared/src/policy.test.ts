import { describe, expect, it } from 'vitest';
import { applyPolicy, ManagedSettingsSchema, mergePolicies, parsePolicy, policyAllowsScreenShare } from './policy.ts';

describe('parsePolicy', () => {
  it('accepts registry DWORDs and booleans as flags', () => {
    const { policy, problems } = parsePolicy({ autoUpdate: 0, telemetry: false, allow2160p: 1 }, 'test');
    expect(problems).toEqual([]);
    expect(policy).toEqual({ autoUpdate: false, telemetry: false, allow2160p: true });
  });

  it('reports and ignores a bad value or an unknown key, keeping the valid keys', () => {
    const { policy, problems } = parsePolicy(
      { serverUrl: 'ftp://tandem.example.com', screenShare: 'hosts', autoUpdate: 2, colour: 'blue' },
      'HKLM',
    );
    expect(policy).toEqual({ screenShare: 'hosts' });
    expect(problems.map((problem) => [problem.source, problem.key])).toEqual([
      ['HKLM', 'serverUrl'],
      ['HKLM', 'autoUpdate'],
      ['HKLM', 'colour'],
    ]);
    expect(problems.find((problem) => problem.key === 'colour')?.message).toBe('unknown policy key');
  });

  it('does not treat inherited object properties as policy keys', () => {
    expect(parsePolicy({ toString: 'x' }, 'test').problems).toHaveLength(1);
  });
});

describe('mergePolicies', () => {
  it('lets the first layer win per key and fills the rest from later layers', () => {
    const machine = parsePolicy({ serverUrl: 'https://machine.example.com' }, 'HKLM').policy;
    const user = parsePolicy({ serverUrl: 'https://user.example.com', telemetry: 0 }, 'HKCU').policy;
    expect(mergePolicies([machine, user])).toEqual({ serverUrl: 'https://machine.example.com', telemetry: false });
  });
});

describe('applyPolicy', () => {
  it('overrides the user setting for every key the policy sets and marks it locked', () => {
    const managed = applyPolicy(
      { updateChannel: 'beta', defaultCamera: 'FaceTime HD', telemetry: true },
      { updateChannel: 'stable', telemetry: false },
    );
    expect(managed.values).toEqual({ updateChannel: 'stable', defaultCamera: 'FaceTime HD', telemetry: false });
    expect(managed.locked).toEqual(['updateChannel', 'telemetry']);
    expect(ManagedSettingsSchema.parse(managed)).toEqual(managed);
  });

  it('locks nothing without a policy', () => {
    expect(applyPolicy({ allow2160p: true }, {})).toEqual({ values: { allow2160p: true }, locked: [] });
  });
});

describe('policyAllowsScreenShare', () => {
  it.each([
    [undefined, false, true],
    ['everyone', false, true],
    ['hosts', true, true],
    ['hosts', false, false],
    ['nobody', true, false],
  ] as const)('%s, host %s → %s', (policy, isHost, allowed) => {
    expect(policyAllowsScreenShare(policy, isHost)).toBe(allowed);
  });
});

import { applyPolicy } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { lockedSettings, may2160p } from './managed.ts';

describe('locked settings', () => {
  it('lists what the organisation set, in the policy order, readable', () => {
    const managed = applyPolicy({ telemetry: true }, { allow2160p: false, serverUrl: 'https://meet.example.com' });
    expect(lockedSettings(managed)).toEqual([
      { key: 'serverUrl', label: 'Server', value: 'https://meet.example.com' },
      { key: 'allow2160p', label: '2160p (4K) video', value: 'Off' },
    ]);
    expect(may2160p(managed)).toBe(false);
  });

  it('locks nothing without a policy', () => {
    const managed = applyPolicy({}, {});
    expect(lockedSettings(managed)).toEqual([]);
    expect(may2160p(managed)).toBe(true);
  });
});

import { applyPolicy } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/translator.ts';
import { lockedSettings, may2160p } from './managed.ts';

const t = createTranslator('en');

describe('locked settings', () => {
  it('lists what the organisation set, in the policy order, readable', () => {
    const managed = applyPolicy({ telemetry: true }, { allow2160p: false, serverUrl: 'https://meet.example.com' });
    expect(lockedSettings(managed, t)).toEqual([
      { key: 'serverUrl', label: 'Server', value: 'https://meet.example.com' },
      { key: 'allow2160p', label: '2160p (4K) video', value: 'Off' },
    ]);
    expect(may2160p(managed)).toBe(false);
  });

  it('names them in the app’s language, a locked language by its own name', () => {
    const managed = applyPolicy({}, { language: 'ja', notifications: 'mentions', allow2160p: false });
    expect(lockedSettings(managed, createTranslator('de'))).toEqual([
      { key: 'allow2160p', label: '2160p-Video (4K)', value: 'Aus' },
      { key: 'notifications', label: 'Benachrichtigungen', value: 'Nur Erwähnungen' },
      { key: 'language', label: 'Sprache', value: '日本語' },
    ]);
  });

  it('locks nothing without a policy', () => {
    const managed = applyPolicy({}, {});
    expect(lockedSettings(managed, t)).toEqual([]);
    expect(may2160p(managed)).toBe(true);
  });
});

import { AUDIT_ACTIONS, type AuditEntry } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/translator.ts';
import { ACTION_LABELS, actionLabel, actorText, detailText, EMPTY_FORM, filterOf, withPage } from './auditView.ts';

const entry = (id: string): AuditEntry => ({
  id,
  organisationId: '6a1f4b7e-8c1d-4e0a-9a51-0c8f3b2d1e77',
  at: '2026-11-27T10:00:00.000Z',
  action: 'auth.sign_in',
  actor: { kind: 'person', id: null, label: 'Ada <ada@example.com>' },
  target: null,
  origin: { address: '127.0.0.1', client: 'test' },
  detail: {},
});

describe('the audit view', () => {
  it('names every action the log knows', () => {
    for (const action of AUDIT_ACTIONS) expect(ACTION_LABELS[action], action).toMatch(/^[A-Z]/);
  });

  it('asks only for the filters filled in, times as instants, the end of the minute included', () => {
    expect(filterOf(EMPTY_FORM)).toEqual({});
    expect(filterOf({ ...EMPTY_FORM, actor: '  ada ', target: ' ' })).toEqual({ actor: 'ada' });
    const local = '2026-11-27T10:15';
    const filter = filterOf({ ...EMPTY_FORM, action: 'person.deactivated', from: local, to: local });
    expect(filter.action).toBe('person.deactivated');
    expect(filter.from).toBe(new Date(local).toISOString());
    expect(Date.parse(filter.to ?? '') - Date.parse(filter.from ?? '')).toBe(59_999);
    expect(filterOf({ ...EMPTY_FORM, from: 'not a date' })).toEqual({});
  });

  it('says what kind of actor acted when it is not a person', () => {
    expect(actorText({ kind: 'person', id: null, label: 'Ada <ada@example.com>' })).toBe('Ada <ada@example.com>');
    expect(actorText({ kind: 'scim', id: null, label: 'Entra ID (tscim_abc…)' })).toBe(
      'Provisioning (SCIM): Entra ID (tscim_abc…)',
    );
    expect(actorText({ kind: 'system', id: null, label: '' })).toBe('Tandem');
  });

  it('names actions and actors in the language shown', () => {
    expect(actionLabel('auth.sign_in', 'de')).toBe('Angemeldet');
    expect(actionLabel('auth.sign_in', 'ja')).toBe('サインイン');
    expect(actionLabel('auth.sign_in', 'ar-XB')).toBe('Signed in');
    expect(actorText({ kind: 'system', id: null, label: '' }, createTranslator('de'))).toBe('Tandem');
    expect(actorText({ kind: 'anonymous', id: null, label: 'x' }, createTranslator('ja'))).toBe('未サインイン: x');
  });

  it('reads details as words', () => {
    expect(detailText({ from: 'member', to: 'admin' })).toBe('from: member; to: admin');
    expect(detailText({ fields: 'name,email', restored: false })).toBe('fields: name, email; restored: false');
    expect(detailText({})).toBe('');
  });

  it('appends a page, keeping each entry once', () => {
    expect(withPage([entry('a'), entry('b')], [entry('b'), entry('c')]).map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });
});

import { SHIPPED_LOCALES } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { catalogueProblems } from '../../../scripts/catalogueCheck.ts';
import { messagesOf, TRANSLATIONS } from './catalogue.ts';
import { directionOf, resolveLocale } from './locale.ts';
import { en } from './locales/en.ts';
import { createTranslator } from './translator.ts';

/**
 * Messages that read the same as in English on purpose: words German and Japanese take over
 * ("Server", "Chat", "PIN", "URL"), the languages' own names, examples and product names. Any
 * other message equal to its English one is untranslated, and the check fails.
 */
const SAME_AS_ENGLISH: Readonly<Record<keyof typeof TRANSLATIONS, ReadonlySet<string>>> = {
  en: new Set(),
  de: new Set([
    'settings.tab.organisation',
    'settings.video.title',
    'settings.policy.serverUrl',
    'settings.org.title',
    'presence.offline',
    'session.signIn.server',
    'meetings.personalRoom.code',
    'linked.paste.placeholder',
    'settings.desktop.title',
    'language.en',
    'language.de',
    'language.ja',
    'stream.status.live',
    'stream.status.liveHealth',
    'stream.url.example',
    'webinar.registrants.name',
    'webinar.registrants.status',
    'webinar.badge.live',
    'webinar.badge.backstage',
    'phone.invitation.pin',
    'call.chat',
    'chat.title',
    'chat.search.in',
    'chat.thread',
    'people.role.admin',
    'people.name',
    'recording.duration',
    'whiteboard.open',
    'whiteboard.title',
    'whiteboard.menu',
    'insights.person',
    'media.picture.studio',
    'collab.tool.ellipse',
    'collab.tool.text',
    'collab.poll.option',
    'collab.breakouts.help.in',
    'audit.actor.system',
    'audit.details',
    'scim.token',
    'scim.newFor.placeholder',
    'diagnostics.check.server',
    'integrations.webhooks',
    'integrations.url',
    'integrations.url.placeholder',
  ]),
  // Key names as printed on the keys.
  ja: new Set([
    'linked.paste.placeholder',
    'settings.pushToTalk.keyName',
    'language.en',
    'language.de',
    'language.ja',
    'stream.url.example',
    'phone.invitation.pin',
    'collab.panel.qna',
    'audit.actor.system',
    'scim.newFor.placeholder',
    'integrations.url',
    'integrations.url.placeholder',
  ]),
};

const problemsOf = (locale: keyof typeof TRANSLATIONS, catalogue: Readonly<Record<string, string>>) =>
  catalogueProblems(locale, catalogue, en, SAME_AS_ENGLISH[locale]);

describe('the shipped catalogues (a check in npm test)', () => {
  it('every shipped locale has every message, in valid ICU, with the same placeholders as English', () => {
    const problems = (Object.keys(TRANSLATIONS) as (keyof typeof TRANSLATIONS)[]).flatMap((locale) =>
      problemsOf(locale, TRANSLATIONS[locale]),
    );
    expect(problems).toEqual([]);
    // Every shipped locale that is not made from another is translated.
    expect(Object.keys(TRANSLATIONS).sort()).toEqual(SHIPPED_LOCALES.filter((l) => l !== 'ar-XB').sort());
  });

  it('finds a missing message, a broken ICU message, a lost placeholder and an untranslated message (the check can fail)', () => {
    const { 'app.signOut': _dropped, ...missing } = TRANSLATIONS.de;
    expect(problemsOf('de', missing)).toEqual(['de: app.signOut is missing']);
    const broken = { ...TRANSLATIONS.de, 'app.starting': '{product wird gestartet' };
    expect(problemsOf('de', broken)[0]).toMatch(/^de: app\.starting is not ICU message format/);
    const lost = { ...TRANSLATIONS.ja, 'ui.notSaved': '保存されませんでした' };
    expect(problemsOf('ja', lost)).toEqual(['ja: ui.notSaved has placeholders  where English has reason:1']);
    const noOther = { ...TRANSLATIONS.de, 'app.connection': '{state, select, online {verbunden}}' };
    expect(problemsOf('de', noOther)[0]).toMatch(/is not ICU message format/);
    // English left in: in words, in a plural's branches; a message of placeholders alone is the same everywhere.
    expect(problemsOf('de', { ...TRANSLATIONS.de, 'app.signOut': 'Sign out' })).toEqual([
      'de: app.signOut is still in English',
    ]);
    expect(problemsOf('ja', { ...TRANSLATIONS.ja, 'meetings.row.byYou': en['meetings.row.byYou'] })).toEqual([
      'ja: meetings.row.byYou is still in English',
    ]);
    expect(problemsOf('de', { ...TRANSLATIONS.de, 'date.range': '{start}–{end}' })).toEqual([]);
    // A message listed as the same that got translated leaves the list.
    expect(problemsOf('de', { ...TRANSLATIONS.de, 'chat.title': 'Unterhaltung' })).toEqual([
      'de: chat.title is listed as the same as English, but is not (take it off the list)',
    ]);
  });

  it('formats plurals, numbers and selects per locale', () => {
    expect(createTranslator('de')('settings.org.retentionHint', { min: 1, max: 3650 })).toBe(
      '1 bis 3.650 Tage nach dem Ende einer Aufzeichnung.',
    );
    expect(createTranslator('en')('settings.org.retentionHint', { min: 1, max: 3650 })).toBe(
      'From 1 to 3,650 days after a recording ended.',
    );
    expect(createTranslator('ja')('app.connection', { state: 'offline' })).toBe('サーバー: オフライン');
  });

  it('the right-to-left pseudo-locale has every message, its words mirrored and its placeholders filled', () => {
    const pseudo = messagesOf('ar-XB');
    expect(Object.keys(pseudo).sort()).toEqual(Object.keys(en).sort());
    const t = createTranslator('ar-XB');
    expect(t('app.starting', { product: 'Tandem' })).toBe('\u202eStarting \u202cTandem\u202e…\u202c');
    expect(directionOf('ar-XB')).toBe('rtl');
    expect(directionOf('ja')).toBe('ltr');
  });
});

describe('the language shown', () => {
  it('follows the first of the OS’s preferred languages the app ships, else English', () => {
    expect(resolveLocale('system', ['de-AT', 'en-US'])).toBe('de');
    expect(resolveLocale('system', ['fr-FR', 'ja-JP'])).toBe('ja');
    expect(resolveLocale('system', ['fr-FR'])).toBe('en');
    expect(resolveLocale('system', ['ar-XB'])).toBe('en');
    expect(resolveLocale('system', [])).toBe('en');
  });

  it('a chosen language wins over the OS’s', () => {
    expect(resolveLocale('ja', ['de-DE'])).toBe('ja');
    expect(resolveLocale('ar-XB', ['en'])).toBe('ar-XB');
  });
});

import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { SHIPPED_LOCALES } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { messagesOf, TRANSLATIONS } from './catalogue.ts';
import { directionOf, resolveLocale } from './locale.ts';
import { en } from './locales/en.ts';
import { createTranslator } from './translator.ts';

/** The placeholders a message fills (`{name}`, `{count, plural, …}`), with their kind, sorted. */
function placeholders(elements: readonly MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.argument:
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
        into.add(`${element.value}:${element.type}`);
        break;
      case TYPE.plural:
      case TYPE.select:
        into.add(`${element.value}:${element.type}`);
        for (const option of Object.values(element.options)) placeholders(option.value, into);
        break;
      case TYPE.tag:
        into.add(`<${element.value}>`);
        placeholders(element.children, into);
        break;
      default:
        break;
    }
  }
  return into;
}

/** Every problem of one catalogue against English: missing or extra ids, ICU errors, other placeholders. */
function problemsOf(locale: string, catalogue: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const id of Object.keys(en)) if (!Object.hasOwn(catalogue, id)) problems.push(`${locale}: ${id} is missing`);
  for (const [id, message] of Object.entries(catalogue)) {
    const source = (en as Readonly<Record<string, string>>)[id];
    if (source === undefined) {
      problems.push(`${locale}: ${id} is not in the English catalogue`);
      continue;
    }
    let ast: MessageFormatElement[];
    try {
      ast = parse(message, { requiresOtherClause: true });
    } catch (error) {
      problems.push(`${locale}: ${id} is not ICU message format: ${String(error)}`);
      continue;
    }
    if (message.trim() === '') problems.push(`${locale}: ${id} is empty`);
    const want = [...placeholders(parse(source))].sort();
    const have = [...placeholders(ast)].sort();
    if (JSON.stringify(want) !== JSON.stringify(have))
      problems.push(`${locale}: ${id} has placeholders ${have.join(', ')} where English has ${want.join(', ')}`);
  }
  return problems;
}

describe('the shipped catalogues (a check in npm test)', () => {
  it('every shipped locale has every message, in valid ICU, with the same placeholders as English', () => {
    const problems = Object.entries(TRANSLATIONS).flatMap(([locale, catalogue]) => problemsOf(locale, catalogue));
    expect(problems).toEqual([]);
    // Every shipped locale that is not made from another is translated.
    expect(Object.keys(TRANSLATIONS).sort()).toEqual(SHIPPED_LOCALES.filter((l) => l !== 'ar-XB').sort());
  });

  it('finds a missing message, a broken ICU message and a lost placeholder (the check can fail)', () => {
    const { 'app.signOut': _dropped, ...missing } = TRANSLATIONS.de;
    expect(problemsOf('de', missing)).toEqual(['de: app.signOut is missing']);
    const broken = { ...TRANSLATIONS.de, 'app.starting': '{product wird gestartet' };
    expect(problemsOf('de', broken)[0]).toMatch(/^de: app\.starting is not ICU message format/);
    const lost = { ...TRANSLATIONS.ja, 'ui.notSaved': '保存されませんでした' };
    expect(problemsOf('ja', lost)).toEqual(['ja: ui.notSaved has placeholders  where English has reason:1']);
    const noOther = { ...TRANSLATIONS.de, 'app.connection': '{state, select, online {verbunden}}' };
    expect(problemsOf('de', noOther)[0]).toMatch(/is not ICU message format/);
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

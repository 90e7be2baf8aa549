import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import rule from './noUntranslatedText.js';

RuleTester.describe = describe;
RuleTester.it = it;

const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } },
});

describe('lint: no hard-coded user-visible text in the renderer’s JSX', () => {
  tester.run('no-untranslated-text', rule, {
    valid: [
      "const a = <p>{t('app.loading')}</p>;",
      "const a = <button aria-label={t('ui.copy')} className=\"button\">{t('ui.copy')}</button>;",
      'const a = <span>{name} · {count}</span>;',
      'const a = <input type="checkbox" id={id} />;',
      "const a = <p>{busy ? '…' : '—'}</p>;",
      'const a = <p title={`${a} / ${b}`} />;',
      "const a = <p>{t('x', { n: 'literal only as a value' })}</p>;",
      'const a = <NavButton label="app.nav.home" />;',
    ],
    invalid: [
      { code: 'const a = <p>Loading…</p>;', errors: [{ messageId: 'text' }] },
      {
        code: 'const a = <button aria-label="Close">x</button>;',
        errors: [{ messageId: 'text' }, { messageId: 'text' }],
      },
      { code: "const a = <p>{busy ? 'Saving…' : 'Save'}</p>;", errors: [{ messageId: 'text' }, { messageId: 'text' }] },
      { code: 'const a = <p title={`Server: ${state}`} />;', errors: [{ messageId: 'text' }] },
      { code: "const a = <input placeholder={hint ?? 'Type a name'} />;", errors: [{ messageId: 'text' }] },
      { code: "const a = <p>{error && 'Not saved'}</p>;", errors: [{ messageId: 'text' }] },
      { code: 'const a = <p>日本語</p>;', errors: [{ messageId: 'text' }] },
    ],
  });
});

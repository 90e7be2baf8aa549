import { useEffect, type ReactNode } from 'react';
import { IntlProvider } from 'react-intl';
import { useAppStore } from '../store/appStore.ts';
import { messagesOf } from './catalogue.ts';
import { setLocaleOutsideReact } from './current.ts';
import { directionOf, resolveLocale } from './locale.ts';

/**
 * The renderer's language: `language` from Settings (or IT's policy), `system` meaning the OS's
 * preferred languages as the page sees them (Electron passes the OS's on). The document's `lang`
 * and `dir` follow, so screen readers pronounce it right and a right-to-left locale mirrors the
 * layout (the CSS uses logical properties).
 */
export function I18nProvider({ children }: { readonly children: ReactNode }) {
  const language = useAppStore((s) => s.settings.language);
  const locale = resolveLocale(language, navigator.languages);
  setLocaleOutsideReact(locale);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = directionOf(locale);
  }, [locale]);
  return (
    <IntlProvider locale={locale} defaultLocale="en" messages={messagesOf(locale)}>
      {children}
    </IntlProvider>
  );
}

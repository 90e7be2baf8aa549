import type { PresenceStatus, ShippedLocale } from '@tandem/shared';
import { renderToString } from 'react-dom/server';
import { IntlProvider } from 'react-intl';
import { describe, expect, it } from 'vitest';
import { messagesOf } from '../i18n/catalogue.ts';
import { BusyLabel } from './PresenceDot.tsx';

const shown = (status: PresenceStatus | undefined, locale: ShippedLocale = 'en'): string =>
  renderToString(
    <IntlProvider locale={locale} defaultLocale="en" messages={messagesOf(locale)}>
      <BusyLabel status={status} />
    </IntlProvider>,
  );

describe('the busy status beside a name', () => {
  it('says “In a call” while LiveKit has the person in a meeting, and “Presenting” while they share', () => {
    expect(shown('in_meeting')).toBe(
      '<span class="presence-busy" data-status="in_meeting" aria-hidden="true">In a call</span>',
    );
    expect(shown('presenting')).toContain('>Presenting</span>');
  });

  it('in German and Japanese', () => {
    expect(shown('in_meeting', 'de')).toContain('>Im Anruf</span>');
    expect(shown('in_meeting', 'ja')).toContain('>通話中</span>');
    expect(shown('presenting', 'de')).toContain('>Präsentiert</span>');
  });

  it('shows nothing for any other status, or for someone never heard of', () => {
    for (const status of ['online', 'away', 'busy', 'dnd', 'offline', undefined] as const)
      expect(shown(status)).toBe('');
  });
});

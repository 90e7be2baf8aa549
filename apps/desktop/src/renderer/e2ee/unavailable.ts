import type { E2eeUnavailable } from '@tandem/shared';
import { translateNow } from '../i18n/current.ts';
import type { Translate } from '../i18n/useT.ts';

/** What an encrypted meeting cannot do, in words (see E2EE_UNAVAILABLE). */
export function unavailableText(what: E2eeUnavailable, t: Translate = translateNow): string {
  switch (what) {
    case 'recording':
      return t('e2ee.unavailable.recording');
    case 'transcription':
      return t('e2ee.unavailable.transcription');
    case 'dialIn':
      return t('e2ee.unavailable.dialIn');
    case 'breakouts':
      return t('e2ee.unavailable.breakouts');
    case 'whiteboard':
      return t('e2ee.unavailable.whiteboard');
    default: {
      const unreachable: never = what;
      throw new Error(`unknown feature ${String(unreachable)}`);
    }
  }
}

import type { E2eeUnavailable } from '@tandem/shared';

/** What an encrypted meeting cannot do, in words (see E2EE_UNAVAILABLE). */
export function unavailableText(what: E2eeUnavailable): string {
  switch (what) {
    case 'recording':
      return 'Recording on the server';
    case 'transcription':
      return 'Transcription and live captions';
    case 'dialIn':
      return 'Joining by phone (dial-in)';
    case 'breakouts':
      return 'Breakout rooms';
    default: {
      const unreachable: never = what;
      throw new Error(`unknown feature ${String(unreachable)}`);
    }
  }
}

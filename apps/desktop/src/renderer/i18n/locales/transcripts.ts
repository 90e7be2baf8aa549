import { featureMessages } from './feature.ts';

/** Meeting transcripts (notes/TranscriptView.tsx, their hits in chat/Search.tsx). */
export const transcripts = featureMessages({
  en: {
    'transcript.open': 'Transcript',
    'transcript.title': 'Transcript',
    'transcript.titleOf': 'Transcript: {title}',
    'transcript.what': 'the transcript',
    'transcript.offline':
      'This device’s copy: the server cannot be reached. Playing the recording and exporting need it.',
    'transcript.search': 'Search in the transcript',
    'transcript.export.txt': 'Export as text',
    'transcript.export.vtt': 'Export as WebVTT',
    'transcript.export.failed': 'Not exported: {reason}',
    'transcript.empty': 'Nothing was transcribed in this meeting.',
    'transcript.count':
      '{filtered, select, true {{shown} of {total} utterances match} other {{total, plural, one {# utterance} other {# utterances}}}}',
    'transcript.segments': 'What was said',
    'transcript.play': 'Play the recording from {at} ({name})',
    'transcript.playShort': 'Play',
    'transcript.search.hits': '{count, plural, one {# moment in transcripts} other {# moments in transcripts}}',
  },
  de: {
    'transcript.open': 'Transkript',
    'transcript.title': 'Transkript',
    'transcript.titleOf': 'Transkript: {title}',
    'transcript.what': 'das Transkript',
    'transcript.offline':
      'Die Kopie auf diesem Gerät: Der Server ist nicht erreichbar. Zum Abspielen der Aufnahme und zum Exportieren wird er gebraucht.',
    'transcript.search': 'Im Transkript suchen',
    'transcript.export.txt': 'Als Text exportieren',
    'transcript.export.vtt': 'Als WebVTT exportieren',
    'transcript.export.failed': 'Nicht exportiert: {reason}',
    'transcript.empty': 'In diesem Meeting wurde nichts transkribiert.',
    'transcript.count':
      '{filtered, select, true {{shown} von {total} Äußerungen passen} other {{total, plural, one {# Äußerung} other {# Äußerungen}}}}',
    'transcript.segments': 'Was gesagt wurde',
    'transcript.play': 'Aufnahme ab {at} abspielen ({name})',
    'transcript.playShort': 'Abspielen',
    'transcript.search.hits': '{count, plural, one {# Stelle in Transkripten} other {# Stellen in Transkripten}}',
  },
  ja: {
    'transcript.open': '文字起こし',
    'transcript.title': '文字起こし',
    'transcript.titleOf': '文字起こし: {title}',
    'transcript.what': '文字起こし',
    'transcript.offline':
      'この端末のコピーです。サーバーに接続できません。録画の再生とエクスポートにはサーバーが必要です。',
    'transcript.search': '文字起こし内を検索',
    'transcript.export.txt': 'テキストでエクスポート',
    'transcript.export.vtt': 'WebVTT でエクスポート',
    'transcript.export.failed': 'エクスポートできませんでした: {reason}',
    'transcript.empty': 'この会議では何も文字起こしされませんでした。',
    'transcript.count':
      '{filtered, select, true {{total} 件中 {shown} 件が一致} other {{total, plural, other {発言 # 件}}}}',
    'transcript.segments': '発言内容',
    'transcript.play': '{at} から録画を再生 ({name})',
    'transcript.playShort': '再生',
    'transcript.search.hits': '{count, plural, other {文字起こし内 # 件}}',
  },
});

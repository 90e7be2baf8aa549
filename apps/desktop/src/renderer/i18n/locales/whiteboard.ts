import { featureMessages } from './feature.ts';

/** The meeting's whiteboard (whiteboard/). */
export const whiteboard = featureMessages({
  en: {
    'whiteboard.open': 'Whiteboard',
    'whiteboard.close': 'Close whiteboard',
    'whiteboard.encrypted':
      'No whiteboard in an end-to-end encrypted meeting: the server would have to keep it, and it must not read this meeting.',
    'whiteboard.title': 'Whiteboard',
    'whiteboard.toolbar': 'Whiteboard tools',
    'whiteboard.surface': 'Whiteboard: {count, plural, =0 {empty} one {# mark} other {# marks}}',
    'whiteboard.loading': 'Loading the whiteboard…',
    'whiteboard.loadFailed': 'The whiteboard could not be loaded: {reason}',
    'whiteboard.notSaved':
      'Your marks were not saved on the server: {reason}. They are tried again with your next mark.',
    'whiteboard.exportPng': 'Export PNG',
    'whiteboard.exportSvg': 'Export SVG',
    'whiteboard.exportFailed': 'Not exported: {reason}',
    'whiteboard.menu': 'Whiteboard…',
    'whiteboard.dialog': 'Whiteboard of {title}',
    'whiteboard.empty': 'Nobody drew on this meeting’s whiteboard.',
    'whiteboard.readOnly': 'The board as the meeting left it. Export it to keep a copy.',
  },
  de: {
    'whiteboard.open': 'Whiteboard',
    'whiteboard.close': 'Whiteboard schließen',
    'whiteboard.encrypted':
      'Kein Whiteboard in einer Ende-zu-Ende-verschlüsselten Besprechung: Der Server müsste es speichern und darf diese Besprechung nicht lesen.',
    'whiteboard.title': 'Whiteboard',
    'whiteboard.toolbar': 'Whiteboard-Werkzeuge',
    'whiteboard.surface': 'Whiteboard: {count, plural, =0 {leer} one {# Markierung} other {# Markierungen}}',
    'whiteboard.loading': 'Whiteboard wird geladen…',
    'whiteboard.loadFailed': 'Das Whiteboard konnte nicht geladen werden: {reason}',
    'whiteboard.notSaved':
      'Ihre Markierungen wurden nicht auf dem Server gespeichert: {reason}. Mit Ihrer nächsten Markierung wird es erneut versucht.',
    'whiteboard.exportPng': 'Als PNG exportieren',
    'whiteboard.exportSvg': 'Als SVG exportieren',
    'whiteboard.exportFailed': 'Nicht exportiert: {reason}',
    'whiteboard.menu': 'Whiteboard…',
    'whiteboard.dialog': 'Whiteboard von {title}',
    'whiteboard.empty': 'Auf dem Whiteboard dieser Besprechung hat niemand gezeichnet.',
    'whiteboard.readOnly':
      'Das Whiteboard, wie die Besprechung es hinterlassen hat. Exportieren Sie es, um eine Kopie zu behalten.',
  },
  ja: {
    'whiteboard.open': 'ホワイトボード',
    'whiteboard.close': 'ホワイトボードを閉じる',
    'whiteboard.encrypted':
      'エンドツーエンド暗号化された会議ではホワイトボードを使えません。サーバーが保存する必要があり、この会議の内容を読んではならないためです。',
    'whiteboard.title': 'ホワイトボード',
    'whiteboard.toolbar': 'ホワイトボードのツール',
    'whiteboard.surface': 'ホワイトボード: {count, plural, =0 {空} other {# 個の描画}}',
    'whiteboard.loading': 'ホワイトボードを読み込んでいます…',
    'whiteboard.loadFailed': 'ホワイトボードを読み込めませんでした: {reason}',
    'whiteboard.notSaved': '描画をサーバーに保存できませんでした: {reason}。次に描いたときにもう一度保存します。',
    'whiteboard.exportPng': 'PNG で書き出す',
    'whiteboard.exportSvg': 'SVG で書き出す',
    'whiteboard.exportFailed': '書き出せませんでした: {reason}',
    'whiteboard.menu': 'ホワイトボード…',
    'whiteboard.dialog': '{title} のホワイトボード',
    'whiteboard.empty': 'この会議のホワイトボードには誰も描いていません。',
    'whiteboard.readOnly': '会議終了時のホワイトボードです。コピーを残すには書き出してください。',
  },
});

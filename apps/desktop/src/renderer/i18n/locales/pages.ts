import { featureMessages } from './feature.ts';

/** Pages of business web apps (pages/). */
export const pages = featureMessages({
  en: {
    'pages.delegation':
      '{mine, select, true {from {name}} other {to {name}}}{hasDue, select, true {, due {due}} other {}}{status, select, open {} done { (done)} cancelled { (cancelled)} other { ({status})}}',
    'pages.markDone': 'Mark “{field}” done',
    'pages.takeBack': 'Take back “{field}”',
    'pages.what': 'pages',
    'pages.now': 'On pages now',
    'pages.now.none': 'Nobody is on a page right now.',
    'pages.on': 'On {title}',
    'pages.viewer': '{name}{inField, select, true { in {field}} other {}}{idle, select, true { (idle)} other {}}',
    'pages.toMe': 'Delegated to me',
    'pages.toMe.none': 'Nothing delegated to you.',
    'pages.byMe': 'Delegated by me',
    'pages.byMe.none': 'You delegated nothing.',
    'pages.threads': 'Threads on pages',
    'pages.threads.none': 'No threads on pages yet.',
    'pages.openAt': 'Open the page at “{field}”',
  },
  de: {
    'pages.delegation':
      '{mine, select, true {von {name}} other {an {name}}}{hasDue, select, true {, fällig {due}} other {}}{status, select, open {} done { (erledigt)} cancelled { (zurückgenommen)} other { ({status})}}',
    'pages.markDone': '„{field}“ als erledigt markieren',
    'pages.takeBack': '„{field}“ zurücknehmen',
    'pages.what': 'Seiten',
    'pages.now': 'Jetzt auf Seiten',
    'pages.now.none': 'Gerade ist niemand auf einer Seite.',
    'pages.on': 'Auf {title}',
    'pages.viewer': '{name}{inField, select, true { in {field}} other {}}{idle, select, true { (inaktiv)} other {}}',
    'pages.toMe': 'An mich delegiert',
    'pages.toMe.none': 'Nichts an Sie delegiert.',
    'pages.byMe': 'Von mir delegiert',
    'pages.byMe.none': 'Sie haben nichts delegiert.',
    'pages.threads': 'Threads auf Seiten',
    'pages.threads.none': 'Noch keine Threads auf Seiten.',
    'pages.openAt': 'Seite bei „{field}“ öffnen',
  },
  ja: {
    'pages.delegation':
      '{mine, select, true {依頼者: {name}} other {依頼先: {name}}}{hasDue, select, true {、期限 {due}} other {}}{status, select, open {} done { (完了)} cancelled { (取り消し)} other { ({status})}}',
    'pages.markDone': '「{field}」を完了にする',
    'pages.takeBack': '「{field}」を取り戻す',
    'pages.what': 'ページ',
    'pages.now': 'いまページを見ている人',
    'pages.now.none': 'いまページを見ている人はいません。',
    'pages.on': '{title} を見ている人',
    'pages.viewer': '{name}{inField, select, true { ({field})} other {}}{idle, select, true { (離席中)} other {}}',
    'pages.toMe': '自分への依頼',
    'pages.toMe.none': 'あなたへの依頼はありません。',
    'pages.byMe': '自分からの依頼',
    'pages.byMe.none': '依頼したものはありません。',
    'pages.threads': 'ページのスレッド',
    'pages.threads.none': 'ページのスレッドはまだありません。',
    'pages.openAt': '「{field}」の位置でページを開く',
  },
});

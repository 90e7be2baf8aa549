import { featureMessages } from './feature.ts';

/** Live captions (captions/). */
export const captions = featureMessages({
  en: {
    'captions.unavailable.loading': 'Checking whether this meeting has captions…',
    'captions.unavailable.model': 'Captions are unavailable: the speech model is not installed on the server.',
    'captions.unavailable.organisation': 'Captions are turned off in your organisation.',
    'captions.unavailable.policy': 'Captions are turned off on this server by IT policy.',
    'captions.unavailable.e2ee':
      'This meeting is end-to-end encrypted: the server cannot hear it, so it has no captions.',
    'captions.hide': 'Hide captions',
    'captions.show': 'Captions',
    'captions.empty': 'Captions appear here when someone speaks.',
    'captions.stateFailed': 'Could not find out whether this meeting has captions: {reason}',
  },
  de: {
    'captions.unavailable.loading': 'Es wird geprüft, ob diese Besprechung Untertitel hat…',
    'captions.unavailable.model':
      'Untertitel sind nicht verfügbar: Das Sprachmodell ist auf dem Server nicht installiert.',
    'captions.unavailable.organisation': 'Untertitel sind in Ihrer Organisation ausgeschaltet.',
    'captions.unavailable.policy': 'Untertitel sind auf diesem Server durch eine IT-Richtlinie ausgeschaltet.',
    'captions.unavailable.e2ee':
      'Diese Besprechung ist Ende-zu-Ende-verschlüsselt: Der Server kann sie nicht hören, daher gibt es keine Untertitel.',
    'captions.hide': 'Untertitel ausblenden',
    'captions.show': 'Untertitel',
    'captions.empty': 'Untertitel erscheinen hier, wenn jemand spricht.',
    'captions.stateFailed': 'Es konnte nicht ermittelt werden, ob diese Besprechung Untertitel hat: {reason}',
  },
  ja: {
    'captions.unavailable.loading': 'この会議に字幕があるか確認しています…',
    'captions.unavailable.model': '字幕は使えません: サーバーに音声モデルがインストールされていません。',
    'captions.unavailable.organisation': '組織で字幕がオフになっています。',
    'captions.unavailable.policy': 'IT ポリシーにより、このサーバーでは字幕がオフになっています。',
    'captions.unavailable.e2ee':
      'この会議はエンドツーエンドで暗号化されています。サーバーは音声を聞けないため、字幕はありません。',
    'captions.hide': '字幕を隠す',
    'captions.show': '字幕',
    'captions.empty': '誰かが話すと、ここに字幕が表示されます。',
    'captions.stateFailed': 'この会議に字幕があるか確認できませんでした: {reason}',
  },
});

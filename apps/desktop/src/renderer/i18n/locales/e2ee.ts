import { featureMessages } from './feature.ts';

/** End-to-end encrypted calls (e2ee/). */
export const e2ee = featureMessages({
  en: {
    'e2ee.unavailable.recording': 'Recording on the server',
    'e2ee.unavailable.transcription': 'Transcription and live captions',
    'e2ee.unavailable.dialIn': 'Joining by phone (dial-in)',
    'e2ee.unavailable.breakouts': 'Breakout rooms',
    'e2ee.unavailable.whiteboard': 'The whiteboard (the server would have to keep it)',
    'e2ee.encrypted': 'End-to-end encrypted',
    'e2ee.waiting': 'Waiting for the meeting key…',
    'e2ee.title': 'End-to-end encryption',
    'e2ee.explained':
      "Audio, video and chat in this meeting are encrypted on each participant's device with a key only they hold. Neither the Tandem server nor the media server can read them.",
    'e2ee.working': 'Working out the code…',
    'e2ee.noKey': 'This device has not received the meeting key yet.',
    'e2ee.compare': 'Compare this code with everyone in the call. If all see the same, you all hold the same key:',
    'e2ee.code': 'Verification code {code}',
    'e2ee.key': 'Key {generation}, for {participants}. A new key, with a new code, is made when someone leaves.',
    'e2ee.unavailable': 'Not available in this meeting',
    'e2ee.chat': 'Encrypted chat',
    'e2ee.chat.explained':
      'End-to-end encrypted: only people in this call can read it. It is kept on their devices, never on the server, and whoever joins later does not see what came before.',
    'e2ee.chat.unreadable':
      '{count, plural, one {One message} other {# messages}} could not be decrypted on this device.',
    'e2ee.chat.placeholder': 'Message everyone in the call',
  },
  de: {
    'e2ee.unavailable.recording': 'Aufzeichnung auf dem Server',
    'e2ee.unavailable.transcription': 'Transkription und Live-Untertitel',
    'e2ee.unavailable.dialIn': 'Teilnahme per Telefon (Einwahl)',
    'e2ee.unavailable.breakouts': 'Gruppenräume',
    'e2ee.unavailable.whiteboard': 'Das Whiteboard (der Server müsste es speichern)',
    'e2ee.encrypted': 'Ende-zu-Ende-verschlüsselt',
    'e2ee.waiting': 'Warten auf den Besprechungsschlüssel…',
    'e2ee.title': 'Ende-zu-Ende-Verschlüsselung',
    'e2ee.explained':
      'Ton, Bild und Chat dieser Besprechung werden auf dem Gerät jeder teilnehmenden Person mit einem Schlüssel verschlüsselt, den nur sie haben. Weder der Tandem-Server noch der Medienserver können sie lesen.',
    'e2ee.working': 'Der Code wird ermittelt…',
    'e2ee.noKey': 'Dieses Gerät hat den Besprechungsschlüssel noch nicht erhalten.',
    'e2ee.compare':
      'Vergleichen Sie diesen Code mit allen im Anruf. Wenn alle denselben sehen, haben alle denselben Schlüssel:',
    'e2ee.code': 'Prüfcode {code}',
    'e2ee.key':
      'Schlüssel {generation}, für {participants}. Wenn jemand geht, wird ein neuer Schlüssel mit neuem Code erstellt.',
    'e2ee.unavailable': 'In dieser Besprechung nicht verfügbar',
    'e2ee.chat': 'Verschlüsselter Chat',
    'e2ee.chat.explained':
      'Ende-zu-Ende-verschlüsselt: Nur die Personen in diesem Anruf können ihn lesen. Er wird auf ihren Geräten gespeichert, nie auf dem Server, und wer später beitritt, sieht nicht, was vorher geschrieben wurde.',
    'e2ee.chat.unreadable':
      '{count, plural, one {Eine Nachricht konnte} other {# Nachrichten konnten}} auf diesem Gerät nicht entschlüsselt werden.',
    'e2ee.chat.placeholder': 'Nachricht an alle im Anruf',
  },
  ja: {
    'e2ee.unavailable.recording': 'サーバーでの録画',
    'e2ee.unavailable.transcription': '文字起こしとライブ字幕',
    'e2ee.unavailable.dialIn': '電話での参加 (ダイヤルイン)',
    'e2ee.unavailable.breakouts': 'ブレイクアウトルーム',
    'e2ee.unavailable.whiteboard': 'ホワイトボード（サーバーが保存する必要があるため）',
    'e2ee.encrypted': 'エンドツーエンド暗号化',
    'e2ee.waiting': '会議の鍵を待っています…',
    'e2ee.title': 'エンドツーエンド暗号化',
    'e2ee.explained':
      'この会議の音声、映像、チャットは、各参加者のデバイスで本人だけが持つ鍵によって暗号化されます。Tandem サーバーもメディアサーバーも内容を読むことはできません。',
    'e2ee.working': 'コードを計算しています…',
    'e2ee.noKey': 'このデバイスはまだ会議の鍵を受け取っていません。',
    'e2ee.compare': 'このコードを通話の全員と比べてください。全員に同じコードが見えていれば、同じ鍵を持っています:',
    'e2ee.code': '確認コード {code}',
    'e2ee.key': '鍵 {generation} ({participants})。誰かが退出すると、新しいコードの新しい鍵が作られます。',
    'e2ee.unavailable': 'この会議で使えない機能',
    'e2ee.chat': '暗号化されたチャット',
    'e2ee.chat.explained':
      'エンドツーエンド暗号化: この通話の参加者だけが読めます。サーバーではなく各自のデバイスに保存され、後から参加した人は以前の内容を見られません。',
    'e2ee.chat.unreadable': '{count, plural, other {# 件のメッセージ}}をこのデバイスで復号できませんでした。',
    'e2ee.chat.placeholder': '通話の全員にメッセージ',
  },
});

import { featureMessages } from './feature.ts';

/** What a failed action says per machine-readable error code (ui/errorText.ts); English quotes the server. */
export const errors = featureMessages({
  en: {
    'ui.error.badRequest': '{detail}',
    'ui.error.unauthenticated': '{detail}',
    'ui.error.forbidden': '{detail}',
    'ui.error.insufficientScope': '{detail}',
    'ui.error.notFound': '{detail}',
    'ui.error.conflict': '{detail}',
    'ui.error.payloadTooLarge': '{detail}',
    'ui.error.unsupportedMediaType': '{detail}',
    'ui.error.ssoRequired': '{detail}',
    'ui.error.linkRevoked': '{detail}',
  },
  de: {
    'ui.error.badRequest': 'Das wurde nicht angenommen (Server: „{detail}“)',
    'ui.error.unauthenticated': 'Nicht angemeldet oder Anmeldedaten falsch (Server: „{detail}“)',
    'ui.error.forbidden': 'Das dürfen Sie hier nicht (Server: „{detail}“)',
    'ui.error.insufficientScope': 'Dieser Schlüssel darf das nicht (Server: „{detail}“)',
    'ui.error.notFound': 'Das gibt es nicht mehr oder Sie können es nicht sehen (Server: „{detail}“)',
    'ui.error.conflict': 'Das passt nicht zum aktuellen Stand (Server: „{detail}“)',
    'ui.error.payloadTooLarge': 'Das ist zu groß (Server: „{detail}“)',
    'ui.error.unsupportedMediaType': 'Diese Art von Datei wird nicht angenommen (Server: „{detail}“)',
    'ui.error.ssoRequired': 'Ihre Organisation verlangt Single Sign-On (Server: „{detail}“)',
    'ui.error.linkRevoked': 'Dieser Link wurde widerrufen (Server: „{detail}“)',
  },
  ja: {
    'ui.error.badRequest': '受け付けられませんでした (サーバー:「{detail}」)',
    'ui.error.unauthenticated': 'サインインしていないか、認証情報が正しくありません (サーバー:「{detail}」)',
    'ui.error.forbidden': 'この操作は許可されていません (サーバー:「{detail}」)',
    'ui.error.insufficientScope': 'このキーにはこの操作が許可されていません (サーバー:「{detail}」)',
    'ui.error.notFound': '存在しないか、表示する権限がありません (サーバー:「{detail}」)',
    'ui.error.conflict': '現在の状態と合いません (サーバー:「{detail}」)',
    'ui.error.payloadTooLarge': '大きすぎます (サーバー:「{detail}」)',
    'ui.error.unsupportedMediaType': 'この種類のファイルは受け付けられません (サーバー:「{detail}」)',
    'ui.error.ssoRequired': '組織はシングルサインオンを必須にしています (サーバー:「{detail}」)',
    'ui.error.linkRevoked': 'このリンクは取り消されています (サーバー:「{detail}」)',
  },
});

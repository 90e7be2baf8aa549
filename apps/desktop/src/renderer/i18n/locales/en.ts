/**
 * The English catalogue: the source of every message id. ICU message format (plurals, selects,
 * `{name}` placeholders); `de.ts` and `ja.ts` must carry every id with the same placeholders
 * (`catalog.test.ts` fails otherwise). Ids are `feature.what`, grouped by feature folder.
 */
export const en = {
  // The app's shell (App.tsx)
  'app.loading': 'Loading…',
  'app.starting': 'Starting {product}…',
  'app.nav': 'Main',
  'app.nav.home': 'Home',
  'app.nav.search': 'Search',
  'app.nav.decisions': 'Decisions',
  'app.nav.pages': 'Pages',
  'app.nav.settings': 'Settings',
  'app.connection': 'Server: {state, select, online {online} reconnecting {reconnecting} other {offline}}',
  'app.signOut': 'Sign out',

  // Shared bits (ui/)
  'ui.load.loading': 'Loading {what}…',
  'ui.load.failed': '{what} could not be loaded: {reason}',
  'ui.load.retry': 'Try again',
  'ui.error.unavailable': 'The server cannot be reached right now. Try again when you are back online.',
  'ui.error.rateLimited': 'Too many attempts. Wait a minute, then try again.',
  'ui.error.internal': 'Something went wrong on our side. Try again.',
  'ui.error.unknown': 'Something went wrong.',
  'ui.copy': 'Copy',
  'ui.copy.named': 'Copy {what}',
  'ui.copy.done': 'Copied.',
  'ui.copy.failed': 'Not copied: select it and copy it with Ctrl+C (⌘C on a Mac).',
  'ui.peoplePicker.placeholder': 'Type a name or email',
  'ui.save': 'Save',
  'ui.saving': 'Saving…',
  'ui.notSaved': 'Not saved: {reason}',
  'ui.on': 'On',
  'ui.off': 'Off',

  // Devices (call/DeviceSelect.tsx)
  'device.audioinput': 'Microphone',
  'device.videoinput': 'Camera',
  'device.audiooutput': 'Speaker',
  'device.none':
    '{kind, select, audioinput {No microphone found} videoinput {No camera found} other {No speaker found}}',
  'device.numbered':
    '{kind, select, audioinput {Microphone {number}} videoinput {Camera {number}} other {Speaker {number}}}',

  // Settings (settings/)
  'settings.title': 'Settings',
  'settings.tab.general': 'General',
  'settings.tab.organisation': 'Organisation',
  'settings.tab.audit': 'Audit log',
  'settings.tab.provisioning': 'Provisioning',
  'settings.tab.integrations': 'Integrations',
  'settings.tab.insights': 'Insights',
  'settings.language.title': 'Language',
  'settings.language.label': 'Language of the app',
  'settings.language.system': 'The system’s language ({language})',
  'settings.language.hint': 'Dates, times and numbers follow the language too.',
  'settings.language.locked': 'Set by your organisation.',
  'settings.video.title': 'Video',
  'settings.video.uhd': 'Send 2160p (4K) video when my camera supports it',
  'settings.video.uhdHint': '1080p HD is the default. 4K needs a 4K camera and uses more bandwidth and processor time.',
  'settings.video.uhdLocked': 'Set by your organisation: 1080p HD is the highest quality on this computer.',
  'settings.notifications.title': 'Notifications',
  'settings.notifications.legend': 'Show a desktop notification for',
  'settings.notifications.all': 'Every new message',
  'settings.notifications.mentions': 'Only when someone mentions me (@name)',
  'settings.notifications.off': 'Off',
  'settings.notifications.previews': 'Show the message’s text in notifications',
  'settings.notifications.partlyLocked': 'Partly set by your organisation (see below).',
  'settings.notifications.hint':
    'Nothing pops up while you share your screen, or for the conversation you are looking at. Hosts also hear when someone waits in their lobby.',
  'settings.managed.title': 'Set by your organisation',
  'settings.managed.hint': 'Your IT department manages these settings on this computer; they cannot be changed here.',
  'settings.policy.serverUrl': 'Server',
  'settings.policy.signInMethod': 'Sign-in method',
  'settings.policy.autoUpdate': 'Automatic updates',
  'settings.policy.updateChannel': 'Update channel',
  'settings.policy.updateUrl': 'Update feed',
  'settings.policy.screenShare': 'Who may share their screen',
  'settings.policy.defaultCamera': 'Default camera',
  'settings.policy.defaultMicrophone': 'Default microphone',
  'settings.policy.telemetry': 'Usage data',
  'settings.policy.allow2160p': '2160p (4K) video',
  'settings.policy.notifications': 'Notifications',
  'settings.policy.notificationPreviews': 'Message text in notifications',
  'settings.policy.noiseSuppression': 'Noise suppression in calls',
  'settings.policy.language': 'Language',
  'settings.policyValue.all': 'Every new message',
  'settings.policyValue.mentions': 'Mentions only',
  'settings.org.title': 'Organisation',
  'settings.org.what': 'the organisation’s settings',
  'settings.org.form': 'Organisation settings',
  'settings.org.setByIt': 'Your IT department has turned this off for every organisation on this server.',
  'settings.org.externalGuests': 'People from outside may join meetings by link',
  'settings.org.externalGuestsHint':
    'They give a name and wait in the lobby until a host lets them in. Off: only people of the organisation join.',
  'settings.org.recording': 'Hosts may record meetings',
  'settings.org.recordingHint':
    'Everyone in the call sees that it is recorded, and people joining later are told before they enter.',
  'settings.org.transcription': 'Transcribe meetings, with live captions',
  'settings.org.transcriptionHint':
    'Each person turns captions on for themselves in the call; the transcript is kept with the meeting and can be searched. End-to-end encrypted meetings are never transcribed.',
  'settings.org.retention': 'Delete recordings after (days)',
  'settings.org.retentionHint': 'From {min, number} to {max, number} days after a recording ended.',
  'ui.peoplePicker.chosen': '{label}: chosen',
  'ui.peoplePicker.remove': 'Remove {name}',
  'ui.peoplePicker.added': '{name} added.',
  'ui.peoplePicker.removed': '{name} removed.',
  'ui.peoplePicker.none': 'Nobody else matches “{query}”.',
  'ui.peoplePicker.hint': 'Arrow keys choose, Enter adds, Backspace removes the last one added.',
  'settings.language.followSystem': 'The system’s language',
  'ui.dismiss': 'Dismiss',

  // The languages, each in its own words (the picker shows them so whatever the app's language)
  'language.en': 'English',
  'language.de': 'Deutsch',
  'language.ja': '日本語',
  'language.ar-XB': 'Right-to-left (test)',
} as const;

export type MessageId = keyof typeof en;
/** A complete catalogue: every id of the English one. */
export type Catalogue = Readonly<Record<MessageId, string>>;

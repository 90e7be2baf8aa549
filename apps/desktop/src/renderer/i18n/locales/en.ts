import { call } from './call.ts';
import { errors } from './errors.ts';
import { integrations } from './integrations.ts';
import { scim } from './scim.ts';
import { audit } from './audit.ts';
import { pages } from './pages.ts';
import { collab } from './collab.ts';
import { media } from './media.ts';
import { e2ee } from './e2ee.ts';
import { insights } from './insights.ts';
import { notes } from './notes.ts';
import { recording } from './recording.ts';
import { captions } from './captions.ts';
import { decisions } from './decisions.ts';
import { people } from './people.ts';
import { chat } from './chat.ts';

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
  'settings.tab.phone': 'Phone',
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

  // Dates and times (i18n/useDates.ts)
  'date.today': 'Today, {times}',
  'date.tomorrow': 'Tomorrow, {times}',
  'date.day': '{day}, {times}',
  'date.range': '{start}–{end}',
  'date.anyTime': 'Any time',

  // Presence (presence/)
  'presence.online': 'Available',
  'presence.away': 'Away',
  'presence.in_meeting': 'In a meeting',
  'presence.presenting': 'Presenting',
  'presence.dnd': 'Do not disturb',
  'presence.offline': 'Offline',
  'presence.until': '{status} until {when}',
  'presence.withText': '{status}: {text}',
  'presence.button': '{status}, set your status',
  'presence.dialog': 'Set your status',
  'presence.dndUntil': 'Do not disturb until {when}.',
  'presence.dndCheck': 'Do not disturb (no notifications)',
  'presence.howLong': 'How long',
  'presence.duration.off': 'Until I turn it off',
  'presence.duration.60': 'For 1 hour',
  'presence.duration.240': 'For 4 hours',
  'presence.duration.tomorrow': 'Until tomorrow 9:00',
  'presence.message': 'Status message',
  'presence.messagePlaceholder': 'For example: Writing the quarterly report',
  'ui.cancel': 'Cancel',

  // Signing in (session/)
  'session.signIn.title': 'Sign in',
  'session.signIn.server': 'Server',
  'session.signIn.serverLocked': 'Set by your organisation.',
  'session.signIn.email': 'Email',
  'session.signIn.password': 'Password',
  'session.signIn.ssoOnly': 'Your organisation signs in with single sign-on: its sign-in page opens in your browser.',
  'session.signIn.finishInBrowser': 'Finish signing in in your browser. {product} continues by itself.',
  'session.signIn.withSso': 'Sign in with SSO',
  'session.signIn.busy': 'Signing in…',
  'session.signIn.useSso': 'Use single sign-on (SSO)',
  'session.banner.reconnecting': 'Connecting to the server…',
  'session.banner.offline':
    'Offline. Cached chats and decisions stay readable; what you write is sent when the connection returns.',
  'session.guest.title': 'Join the meeting',
  'session.guest.code': 'Meeting code {code}. A host lets you in.',
  'session.guest.name': 'Your name',
  'session.guest.email': 'Email (optional)',
  'session.guest.emailHint': 'Shown to the hosts only.',
  'session.guest.whenJoining': 'When I join',
  'session.guest.microphone': 'Microphone on',
  'session.guest.camera': 'Camera on',
  'session.guest.asking': 'Asking to join…',
  'session.guest.ask': 'Ask to join',
  'session.guest.haveAccount': 'I have an account: sign in',

  // Meetings on Home (meetings/Home.tsx)
  'meetings.home.hello': 'Hello, {name}',
  'meetings.row.when': '{when} · code',
  'meetings.row.byYou':
    'Organised by you · {invited, plural, =0 {nobody invited yet} one {# person invited} other {# people invited}}',
  'meetings.row.by': 'Organised by {name}',
  'meetings.row.someone': 'someone in your organisation',
  'meetings.row.joinNamed': 'Join {title}',
  'meetings.join': 'Join',
  'meetings.loading': 'Loading meetings…',
  'meetings.loadFailed': 'Could not load meetings: {reason}',
  'meetings.personalRoom': 'Your personal room',
  'meetings.personalRoom.code': 'Code',
  'meetings.personalRoom.link': 'link',
  'meetings.personalRoom.start': 'Start in my room',
  'meetings.upcoming': 'Upcoming meetings',
  'meetings.upcoming.none': 'No upcoming meetings: none of yours, and no invitations.',
  'meetings.joinByCode.title': 'Join a meeting',
  'meetings.joinByCode.label': 'Meeting code or link',
  'meetings.joinByCode.placeholder': 'abc-defg or tandem://join/abc-defg',
  'meetings.joinByCode.invalid': 'That is not a meeting code or join link.',
  'meetings.new': 'New meeting',
  'settings.policy.closeToTray': 'Keep running in the tray when closed',
  'settings.policy.startAtLogin': 'Start at login',
  'settings.policy.globalShortcuts': 'Global keyboard shortcuts',
  'settings.policyValue.user': 'User’s choice',
  'settings.desktop.title': 'Desktop',
  'settings.desktop.closeToTray': 'Keep {product} running in the tray when I close its window',
  'settings.desktop.startAtLogin': 'Start {product} when I sign in to this computer, minimised to the tray',
  'settings.desktop.locked': 'Set by your organisation.',
  'settings.shortcuts.title': 'Keyboard shortcuts',
  'settings.shortcuts.enabled': 'Global shortcuts: work in a call while another app is in front',
  'settings.shortcuts.toggleMute': 'Mute or unmute',
  'settings.shortcuts.toggleCamera': 'Camera on or off',
  'settings.shortcuts.hint':
    'For example CommandOrControl+Shift+M (Ctrl on Windows and Linux, ⌘ on a Mac). Empty: no shortcut.',
  'settings.shortcuts.conflict':
    '{accelerator} ({action, select, toggleMute {mute} other {camera}}): {reason, select, taken {another app already uses it} duplicate {it is set twice} other {it is not a key combination}}.',
  'settings.shortcuts.locked': 'Your organisation has turned global shortcuts off on this computer.',
  'settings.diagnostics.title': 'Help',
  'settings.diagnostics.collect': 'Collect logs',
  'settings.diagnostics.collecting': 'Collecting…',
  'settings.diagnostics.hint':
    'Saves a zip for your IT help desk: the app’s logs, versions, settings and policy. No passwords, tokens or messages.',
  'settings.diagnostics.failed': 'Logs not collected: {reason}',

  // The languages, each in its own words (the picker shows them so whatever the app's language)
  'language.en': 'English',
  'language.de': 'Deutsch',
  'language.ja': '日本語',
  'language.ar-XB': 'Right-to-left (test)',

  // Feature folders' own files (one per folder, its languages side by side)
  ...call.en,
  ...chat.en,
  ...people.en,
  ...decisions.en,
  ...captions.en,
  ...recording.en,
  ...notes.en,
  ...insights.en,
  ...e2ee.en,
  ...media.en,
  ...collab.en,
  ...pages.en,
  ...audit.en,
  ...scim.en,
  ...integrations.en,
  ...errors.en,
} as const;

export type MessageId = keyof typeof en;
/** A complete catalogue: every id of the English one. */
export type Catalogue = Readonly<Record<MessageId, string>>;

import { webJoinPath } from '@tandem/shared';
import { activityStore, type ActivityStore } from './activity.ts';
import { auditStore, type AuditStore } from './audit.ts';
import { chatStore, type ChatStore } from './chat.ts';
import { collabStore, type CollabStore } from './collab.ts';
import { conversationStore, type ConversationStore } from './conversations.ts';
import {
  calendarFeedStore,
  linkedMeetingStore,
  providerConsentStore,
  providerCredentialStore,
  type CalendarFeedStore,
  type LinkedMeetingStore,
  type ProviderConsentStore,
  type ProviderCredentialTable,
} from './credentials.ts';
import { openDatabase, pingDatabase, type PostgresOptions } from './db.ts';
import { decisionStore, type DecisionStore } from './decisions.ts';
import { e2eeStore, type E2eeStore } from './e2ee.ts';
import { fileStore, type FileStore } from './files.ts';
import { identityStore, type IdentityStore } from './identity.ts';
import { integrationStore, type IntegrationStore } from './integrations.ts';
import { meetingStore, type MeetingStore, type WebJoinUrl } from './meetings.ts';
import { calendarSubscriptionStore, type CalendarSubscriptionStore } from './calendarSubscriptions.ts';
import { notesStore, type NotesStore } from './notes.ts';
import { expertStore, type ExpertStore } from './experts.ts';
import { pageStore, type PageStore } from './pages.ts';
import { phoneStore, type PhoneStore } from './phone.ts';
import { insightsStore, type InsightsStore } from './insights.ts';
import { recordingStore, type RecordingStore } from './recordings.ts';
import { registrationStore, type RegistrationStore } from './registration.ts';
import { streamStore, type StreamStore } from './streams.ts';
import { transcriptStore, type TranscriptStore } from './transcripts.ts';
import { scimStore, type ScimStore } from './scim.ts';
import { ssoStore, type SsoStore } from './sso.ts';
import { whiteboardStore, type WhiteboardStore } from './whiteboards.ts';

export type { OpenVisit } from './activity.ts';
export type { PendingConsent } from './credentials.ts';
export type { MemberRow, NewMember } from './conversations.ts';
export type { MeetingPatch } from './meetings.ts';
export type { Attempt, SsoConfigRow } from './sso.ts';
export { deliveriesOf } from './integrations.ts';
export type {
  AttemptResult,
  DueDelivery,
  EndpointBehind,
  EndpointPatch,
  KeyHolder,
  NewDelivery,
} from './integrations.ts';
export type { DirectoryLookup, DirectoryPerson } from './scim.ts';
export type { AuditQuery } from './audit.ts';
export type { RecordingPatch, RecordingRecord } from './recordings.ts';
export type { StreamRecord } from './streams.ts';
export type { Utterance, Visit } from './insights.ts';
export type { E2eeDeviceRecord } from './e2ee.ts';
export type { NewDelegation, PageGrant } from './pages.ts';
export type { ExpertAskRow } from './experts.ts';
export { fileRef, type ChatFileRecord } from './files.ts';
export {
  isUniqueViolation,
  type Directory,
  type NewTokens,
  type RefreshOutcome,
  type UserChange,
  type UserPatch,
} from './identity.ts';

/** Everything services may ask of the database. Services never see SQL or the driver. */
export type Store = {
  readonly phone: PhoneStore;
  readonly identity: IdentityStore;
  readonly meetings: MeetingStore;
  readonly chat: ChatStore;
  readonly conversations: ConversationStore;
  readonly decisions: DecisionStore;
  readonly activity: ActivityStore;
  readonly collab: CollabStore;
  readonly providerCredentials: ProviderCredentialTable;
  readonly providerConsents: ProviderConsentStore;
  readonly linkedMeetings: LinkedMeetingStore;
  readonly calendarFeeds: CalendarFeedStore;
  readonly calendarSubscriptions: CalendarSubscriptionStore;
  readonly audit: AuditStore;
  readonly sso: SsoStore;
  readonly integrations: IntegrationStore;
  readonly scim: ScimStore;
  readonly recordings: RecordingStore;
  readonly transcripts: TranscriptStore;
  readonly files: FileStore;
  readonly notes: NotesStore;
  readonly insights: InsightsStore;
  readonly e2ee: E2eeStore;
  readonly pages: PageStore;
  readonly experts: ExpertStore;
  readonly registration: RegistrationStore;
  readonly streams: StreamStore;
  readonly whiteboards: WhiteboardStore;
  ping(): Promise<boolean>;
  close(): Promise<void>;
};

/** `webJoinUrl`: how meetings spell their https join link (the default is for tests of the store alone). */
export async function openStore(
  path: string,
  webJoinUrl: WebJoinUrl = (code) => `http://127.0.0.1${webJoinPath(code)}`,
  /** How to use PostgreSQL (the defaults suit tests and small installs). */
  postgres?: PostgresOptions,
): Promise<Store> {
  const db = await openDatabase(path, postgres);
  return {
    identity: identityStore(db),
    meetings: meetingStore(db, webJoinUrl),
    chat: chatStore(db),
    conversations: conversationStore(db),
    decisions: decisionStore(db),
    activity: activityStore(db),
    collab: collabStore(db),
    providerCredentials: providerCredentialStore(db),
    providerConsents: providerConsentStore(db),
    linkedMeetings: linkedMeetingStore(db),
    calendarFeeds: calendarFeedStore(db),
    calendarSubscriptions: calendarSubscriptionStore(db),
    audit: auditStore(db),
    sso: ssoStore(db),
    integrations: integrationStore(db),
    scim: scimStore(db),
    recordings: recordingStore(db),
    transcripts: transcriptStore(db),
    files: fileStore(db),
    notes: notesStore(db),
    insights: insightsStore(db),
    e2ee: e2eeStore(db),
    pages: pageStore(db),
    experts: expertStore(db),
    phone: phoneStore(db),
    registration: registrationStore(db),
    streams: streamStore(db),
    whiteboards: whiteboardStore(db),
    ping: () => pingDatabase(db),
    close: () => db.destroy(),
  };
}

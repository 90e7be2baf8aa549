import { EXPERT_LIMITS, type ConnectionTestToken, type Health, type JoinRequest, type Meeting } from '@tandem/shared';
import type { Livekit } from '../livekit/index.ts';
import type { TxtLookup } from '../sso/domainProof.ts';
import type { RelyingParty } from '../sso/relyingParty.ts';
import type { Store } from '../store/index.ts';
import { apiKeyService } from './apiKeys.ts';
import { auditService } from './audit.ts';
import { auditLogService } from './auditLog.ts';
import { authService, type AuthSettings } from './auth.ts';
import { guestLinkService } from './guestLinks.ts';
import { breakoutService } from './breakouts.ts';
import { chatService } from './chat.ts';
import { conversationAccess } from './conversationAccess.ts';
import { conversationService } from './conversations.ts';
import { newId, type Caller } from './context.ts';
import { decisionService } from './decisions.ts';
import { fileService, type FileSetup } from './files.ts';
import { handService } from './hands.ts';
import { webhookEventSources } from './integrationEvents.ts';
import { meetingAccess } from './meetingAccess.ts';
import { CALENDAR_RENEW_MS, linkedService, type LinkedProviders } from './linked.ts';
import { meetingService } from './meetings.ts';
import { outgoingWebhookService } from './outgoingWebhooks.ts';
import { organisationSettingsService, type ServerPolicy } from './organisationSettings.ts';
import { peopleService } from './people.ts';
import { pollService } from './polls.ts';
import { presenceService } from './presence.ts';
import { qnaService } from './qna.ts';
import { scimService } from './scim.ts';
import { createRealtime, type Log } from './realtime.ts';
import { localCluster, type Cluster } from '../cluster/cluster.ts';
import { clusteredRealtime } from '../cluster/fanout.ts';
import { leasedJobs } from '../cluster/jobs.ts';
import { pageRelay } from '../cluster/pageRelay.ts';
import type { DeliverySettings } from './webhookDelivery.ts';
import { ssoService, type SsoServiceSettings } from './sso.ts';
import { RETENTION_SWEEP_MS, recordingService, type RecordingSetup } from './recordings.ts';
import { transcriptService, type TranscriptionSetup } from './transcripts.ts';
import { notesService, type NotesSetup } from './notes.ts';
import { insightsService } from './insights.ts';
import { participantSuggestionService } from './participantSuggestions.ts';
import { e2eeService } from './e2ee.ts';
import { HANDLED_SWEEP_MS, webhookService } from './webhooks.ts';
import { DEFAULT_RECONCILE, reconciliation, type ReconcileSettings } from './reconciliation.ts';
import { pageService } from './pages.ts';
import { dialInLines, phoneService, type PhoneSetup } from './phone.ts';
import { webinarService } from './webinars.ts';
import { registrationService } from './registration.ts';
import { streamingService, type StreamingSetup } from './streaming.ts';
import { whiteboardService } from './whiteboards.ts';

/** How late, at most, a countdown whose instance died still closes its breakout rooms (plus a lease handover). */
const BREAKOUT_SWEEP_MS = 500;
/** An instance is dead 10 s after its last heartbeat (cluster.ts); its people go offline a few seconds later. */
const ORPHAN_SWEEP_MS = 3_000;
/** How late, at most, an ask whose instance stopped is called missed (each ask's own timer does it on time). */
const EXPERT_SWEEP_MS = 5_000;
/** How late, at most, a message whose instance died before queueing its webhooks is queued (plus a lease handover). */
const WEBHOOK_MESSAGES_SWEEP_MS = 10_000;
/** How late, at most, a recording or stream whose instance died is settled, after the instance counts as dead (10 s). */
const RECORDER_ORPHANS_SWEEP_MS = 5_000;
/**
 * How late, at most, the notes of a meeting whose end another instance heard (or whose instance
 * died) start being made; the instance that hears an end starts at once.
 */
const NOTES_SWEEP_MS = 2_000;
/** Someone waiting in a lobby offline this long (their app or tab closed without leaving) leaves it. */
const LOBBY_ABANDON_MS = 60_000;
/** How late, at most, past that (a shorter abandon time sweeps as often as it lasts). */
const LOBBY_SWEEP_MS = 5_000;

export type { Caller, RequestOrigin } from './context.ts';
export { ServiceError } from './errors.ts';
export { ScimProblem, type ScimClient } from './scim.ts';
export { type EndReason, type Realtime, type RealtimeConnection, type Send } from './realtime.ts';
export { linkedProviders, type LinkedProviders } from './linked.ts';
export { defaultDeliverySettings, type DeliverySettings } from './webhookDelivery.ts';
export type { ServerPolicy } from './organisationSettings.ts';
export type { RecordingMedia, RecordingSetup } from './recordings.ts';
export type { TranscriptFile, TranscriptionSetup } from './transcripts.ts';
export type { ChatFileMedia, FileSetup } from './files.ts';
export type { NotesLlmSettings, NotesSetup } from './notes.ts';
export type { PhoneSetup } from './phone.ts';
export type { StreamingSetup } from './streaming.ts';

export function createServices(
  store: Store,
  livekit: Livekit,
  auth: AuthSettings,
  log: Log,
  /** How people and identity providers reach this server (PUBLIC_URL, or where it listens). */
  publicUrl: () => string,
  linkedProviders: LinkedProviders | undefined,
  /** IT's word on people from outside joining by link and on recording (each organisation may still turn them off). */
  policy: ServerPolicy,
  recording: RecordingSetup,
  /** Outgoing webhooks: retries, timeouts, and which targets are allowed. */
  deliveries: DeliverySettings,
  /** Single sign-on: the relying party, the DNS lookups that prove domains, and its timings. */
  sso: {
    readonly rp: RelyingParty;
    readonly lookupTxt: TxtLookup;
    readonly settings: Omit<SsoServiceSettings, 'publicUrl'>;
  },
  /** Transcripts and live captions: the speech sidecar and the transcriber processes. */
  transcription: TranscriptionSetup,
  /** Files in chat: their storage, size limit and links. */
  files: FileSetup,
  /** Meeting notes: the language model IT configured, if any. */
  notesSetup: NotesSetup = { llm: null },
  /** Other instances sharing the database, through Redis (this one alone by default), and how late their events arrive. */
  shared: { readonly cluster: Cluster; readonly observeFanoutLag: (seconds: number) => void } = {
    cluster: localCluster(),
    observeFanoutLag: () => {},
  },
  /** Phone dial-in, dial-out and the audio bridge (livekit-sip); absent: none. */
  phoneSetup?: PhoneSetup,
  /** Seconds an ask for an expert from a page rings; absent: EXPERT_LIMITS.ringSeconds. */
  expertRingSeconds: number = EXPERT_LIMITS.ringSeconds,
  /** Live streaming (the recorder's composite through ffmpeg); absent: ffmpeg on the PATH, keys in memory, public destinations only. */
  streamingSetup: StreamingSetup = { ffmpegPath: 'ffmpeg', keyring: null, allowPrivate: false },
  /** How often open visits are checked against LiveKit, and how young a visit is left alone. */
  reconcileSettings: ReconcileSettings = DEFAULT_RECONCILE,
  /** How long someone waiting in a lobby may be offline before their entry goes. */
  lobbyAbandonMs: number = LOBBY_ABANDON_MS,
) {
  const { cluster } = shared;
  const audit = auditService(store);
  const outgoingWebhooks = outgoingWebhookService(store, audit, deliveries, log);
  const events = webhookEventSources(outgoingWebhooks);
  const conversationRules = conversationAccess(store);
  const local = createRealtime(store, log, conversationRules);
  const fanout = cluster.shared ? clusteredRealtime(local, cluster, log, shared.observeFanoutLag) : undefined;
  const realtime = events.realtime(fanout ?? local);
  const presence = presenceService(store, realtime, cluster);
  const access = meetingAccess(store);
  const breakouts = breakoutService(store, livekit, realtime, access, log);
  const jobs = leasedJobs(cluster, log);
  // Alone, each countdown's own timer closes its rooms; with several instances one of them also
  // closes what an instance that died left running.
  if (cluster.shared) jobs.every('breakout-countdowns', BREAKOUT_SWEEP_MS, () => breakouts.closeOverdue());
  const linked = linkedService(
    store,
    access,
    audit,
    linkedProviders,
    realtime,
    publicUrl,
    dialInLines(store, phoneSetup?.settings),
    // Called only once a Google push or a request arrives, long after `meetings` below exists.
    {
      followed: (before, after, by) => meetings.followed(before, after, by),
      carriedOn: (original, schedule, link, by) => meetings.carriedOn(original, schedule, link, by),
      relinked: (meeting, by) => meetings.republish(meeting, by),
    },
    log,
  );
  const meetings = meetingService(store, livekit, realtime, presence, access, audit, linked.pushed);
  const identity = authService(store, auth, (sessionId) => realtime.endSession(sessionId, 'session_ended'), audit);
  // Deactivation and role changes end access through realtime: the token cache forgets them at once.
  realtime.onEnd(identity.forget);
  const people = peopleService(store, livekit, realtime, presence, meetings, audit);
  const organisation = organisationSettingsService(store, policy, audit);
  const recordings = recordingService(
    store,
    livekit,
    realtime,
    access,
    audit,
    organisation,
    meetings,
    recording,
    log,
    cluster,
  );
  const streaming = streamingService(store, livekit, realtime, access, audit, recording, streamingSetup, log, cluster);
  const transcripts = transcriptService(store, livekit, access, organisation, transcription, cluster, log);
  const chat = chatService(store, realtime, conversationRules);
  const decisions = decisionService(store, realtime, conversationRules);
  const notes = notesService(store, access, decisions, chat, organisation, audit, notesSetup, log);
  const conversations = conversationService(store, realtime, conversationRules, audit);
  const pages = pageService(
    store,
    realtime,
    conversations,
    chat,
    audit,
    log,
    meetings,
    expertRingSeconds * 1000,
    pageRelay(cluster, log),
  );
  // What an instance that died left: people whose only connections were there are shown offline,
  // and the Pages views of organisations with people on its pages read them again.
  if (cluster.shared)
    jobs.every('presence-orphans', ORPHAN_SWEEP_MS, async () => {
      const left = await cluster.orphans();
      pages.sharesLost(left.keys);
      await presence.sweepOrphans(left.people);
    });
  /**
   * Someone is in the meeting's call (or reconciliation found people there and no transcriber):
   * its transcriber joins too, when the meeting is transcribed. Not awaited: the join answers at
   * once, whatever the speech model is doing.
   */
  const transcribeMeeting = (m: Meeting): void =>
    void transcripts.ensure(m).catch((e: unknown) => log(`the transcriber of ${m.id} could not start`, e));
  const transcribe = (organisationId: string, meetingId: string): void =>
    void store.meetings
      .get(organisationId, meetingId)
      .then((m) => (m === undefined ? undefined : transcribeMeeting(m)))
      .catch((e: unknown) => log(`the transcriber of ${meetingId} could not start`, e));
  /** Joining a call, from the app or as a phone caller let in: the same join, which starts the transcriber. */
  const join = async (caller: Caller, meetingId: string, req: JoinRequest) => {
    const result = await meetings.join(caller, meetingId, req);
    if (result.status === 'joined') transcribe(caller.user.organisationId, meetingId);
    return result;
  };
  const phone = phoneService(store, livekit, access, { ...meetings, join }, identity, audit, presence, phoneSetup, log);
  presence.onChange((organisationId, p) => {
    void pages.presenceChanged(organisationId, p.userId).catch((e: unknown) => log('page status not shown', e));
  });
  /**
   * Notes of ended meetings (due with the end, store notes.ts `notesDueIn`), made by one instance;
   * `notesAfter` asks for a run now when this instance heard an end.
   */
  const notesAfter = jobs.every('meeting-notes', NOTES_SWEEP_MS, () => notes.makeDue(), { atStart: true });
  const webhooks = webhookService(store, livekit, presence, {
    lifecycle: (event, meeting) => {
      // Queued with the room's change (store meetings.roomChanged): sent now.
      outgoingWebhooks.queued();
      if (event === 'meeting.ended') {
        notesAfter();
        void streaming
          .meetingOver(meeting)
          .catch((e: unknown) => log(`the stream of meeting ${meeting.id} could not be stopped`, e));
      }
    },
    phoneCallEnded: phone.callEnded,
    // A call placed into the room (dial-out, the audio bridge) joins no other way.
    phoneCallJoined: (meeting) => transcribe(meeting.organisationId, meeting.id),
    breakoutAdmits: breakouts.admits,
  });
  const reconcile = reconciliation(store, livekit, webhooks, log, reconcileSettings.graceMs, transcribeMeeting);
  return {
    audit,
    auditLog: auditLogService(store, audit),
    auth: identity,
    people,
    meetings: {
      ...meetings,
      // Ending or cancelling a meeting closes its breakout rooms as well.
      // ...and stops its recording.
      end: async (caller: Caller, meetingId: string) => {
        const over = await meetings.end(caller, meetingId);
        await breakouts.meetingOver(over);
        await recordings.meetingOver(caller, over);
        await streaming.meetingOver(over, caller);
        transcripts.meetingOver(over);
        notesAfter();
        return over;
      },
      cancel: async (caller: Caller, meetingId: string) => {
        const over = await meetings.cancel(caller, meetingId);
        await breakouts.meetingOver(over);
        await recordings.meetingOver(caller, over);
        await streaming.meetingOver(over, caller);
        transcripts.meetingOver(over);
        return over;
      },
      join,
    },
    organisation,
    guestLinks: guestLinkService(store, identity, meetings, organisation),
    recordings,
    streaming,
    transcripts,
    chat,
    files: fileService(store, conversationRules, chat, files),
    conversations,
    pages,
    decisions,
    notes,
    insights: insightsService(store, access),
    participantSuggestions: participantSuggestionService(store),
    breakouts,
    hands: handService(store, realtime, access),
    polls: pollService(store, realtime, access),
    whiteboards: whiteboardService(store, access),
    e2ee: e2eeService(store, realtime, access),
    qna: qnaService(store, realtime, access),
    webinars: webinarService(store, livekit, meetings, access, audit, cluster),
    registration: registrationService(store, access, identity, meetings, organisation, linked, publicUrl, audit),
    linked,
    phone,
    presence,
    webhooks,
    apiKeys: apiKeyService(store, audit),
    outgoingWebhooks,
    sso: ssoService(store, identity, audit, sso.rp, sso.lookupTxt, { ...sso.settings, publicUrl }),
    realtime,
    cluster,
    scim: scimService(store, people, audit, publicUrl),
    /**
     * Starts background work: webhook deliveries queued before a restart go out again, calendar
     * notifications queued are followed, calendar subscriptions are renewed now, and the periodic
     * sweeps run on whichever instance holds them.
     */
    async start(): Promise<void> {
      const renew = () => linked.renewSubscriptions(Date.now());
      void renew().catch((e: unknown) => log('calendar subscriptions not renewed', e));
      jobs.every('calendar-renewals', CALENDAR_RENEW_MS, renew);
      jobs.every('recording-retention', RETENTION_SWEEP_MS, () => recordings.sweep());
      // Alone, a restart settles what the previous run left (`recover`); with others, one of them
      // settles the recordings and streams an instance that died left, once it is counted dead.
      if (cluster.shared)
        jobs.every('recorder-orphans', RECORDER_ORPHANS_SWEEP_MS, async () => {
          await recordings.settleOrphans();
          await streaming.settleOrphans();
        });
      // Asks for an expert still ringing past their time (their instance stopped first): missed.
      jobs.every('expert-asks', EXPERT_SWEEP_MS, () => pages.experts.sweep());
      // Visits LiveKit's webhooks left open (a node died, a webhook was lost) end: now, then every
      // period, on one instance; with several, only on one whose LiveKit answers.
      jobs.every('livekit-reconcile', reconcileSettings.everyMs, reconcile, {
        atStart: true,
        ...(cluster.shared ? { able: () => livekit.reachable() } : {}),
      });
      jobs.every('livekit-webhooks-handled', HANDLED_SWEEP_MS, () => webhooks.forgetHandled());
      jobs.every('lobby-abandoned', Math.min(LOBBY_SWEEP_MS, lobbyAbandonMs), () =>
        meetings.expireAbandoned(lobbyAbandonMs),
      );
      outgoingWebhooks.start();
      // Messages no instance queued for webhooks (it died right after writing them): now, then every period.
      jobs.every('webhook-messages', WEBHOOK_MESSAGES_SWEEP_MS, () => outgoingWebhooks.queueMessages(), {
        atStart: true,
      });
      linked.startNotifications();
      // Alone, this instance answers every call; with others, whichever holds the lease looks for new ones.
      await phone.start(cluster.shared ? jobs.every : undefined);
    },
    /** Stops background work before the store closes: running recordings are finished and kept. */
    async stop(): Promise<void> {
      fanout?.stop();
      await jobs.stop();
      breakouts.stop();
      await presence.stop();
      await pages.stop();
      pages.experts.stop();
      await recordings.close();
      await streaming.close();
      await transcripts.close();
      await outgoingWebhooks.stop();
      await linked.stopNotifications();
      await phone.stop();
    },
    clientConfig: () => ({ livekitUrls: [livekit.wsUrl] }),
    /** A room of its own per test (`connection-test-…`, never a meeting's), so webhooks about it are ignored. */
    async connectionTestToken(caller: Caller): Promise<ConnectionTestToken> {
      const room = `connection-test-${newId()}`;
      return { livekitUrl: livekit.wsUrl, token: await livekit.mintConnectionTest(room, caller.user.id) };
    },
    async health(): Promise<Omit<Health, 'ok'>> {
      const [database, lk] = await Promise.all([store.ping(), livekit.reachable()]);
      return { database, livekit: lk, details: { speech: transcripts.speech() } };
    },
  };
}

export type Services = ReturnType<typeof createServices>;

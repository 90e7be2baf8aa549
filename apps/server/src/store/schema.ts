import type { Generated } from 'kysely';

/** Row shapes as SQLite stores them: times are ISO strings, booleans 0/1, JSON as text. */
export type Database = {
  organisations: {
    id: string;
    name: string;
    created_at: string;
    /** The newest offset of the organisation's change stream (see 007_change_stream). */
    latest_offset: Generated<number>;
    /** The newest position of the organisation's people directory (047_directory_seq). */
    directory_seq: Generated<number>;
    /** The newest position of the organisation's decisions read by changes (055_decision_seq). */
    decisions_seq: Generated<number>;
    /** 1: people from outside may knock through join links (008_external_guests). */
    external_guests: Generated<number>;
    /** 1: hosts may record meetings (015_recordings). */
    recording: Generated<number>;
    /** Recordings are deleted this many days after they ended. */
    recording_retention_days: Generated<number>;
    /** 1: meetings are transcribed, with live captions (017_transcripts). */
    transcription: Generated<number>;
    /** IANA time zone meeting notes read dates in (019_notes). */
    time_zone: Generated<string>;
  };
  users: {
    id: string;
    organisation_id: string;
    email: string;
    name: string;
    role: string;
    password_hash: string;
    created_at: string;
    /** Set while the person is deactivated. */
    deactivated_at: string | null;
    /** The identity provider's userName when it is not the e-mail (013_scim). */
    scim_user_name: string | null;
    scim_external_id: string | null;
    given_name: string | null;
    family_name: string | null;
    /** When SCIM last changed the person. */
    scim_updated_at: string | null;
    /** When the identity provider deleted the person: SCIM no longer shows them. */
    scim_deleted_at: string | null;
    /** The directory's position at the person's latest change (047_directory_seq; 0: never listed). */
    directory_seq: number;
  };
  sessions: { id: string; user_id: string; created_at: string; revoked_at: string | null };
  access_tokens: { token_hash: string; session_id: string; expires_at: string };
  refresh_tokens: { token_hash: string; session_id: string; expires_at: string; used_at: string | null };
  meetings: {
    id: string;
    organisation_id: string;
    owner_id: string;
    title: string;
    personal: number;
    starts_at: string | null;
    ends_at: string | null;
    status: string;
    locked: number;
    settings: string;
    join_code: string;
    conversation_id: string;
    created_at: string;
    updated_at: string;
    /** IANA zone (021_recurrence). */
    time_zone: string;
    /** RFC 5545 rule of a series; null: one meeting (021_recurrence). */
    rrule: string | null;
    /** `meeting` or `webinar` (025_webinars). */
    type: string;
    /** When a webinar went on air; null in its backstage and for meetings (025_webinars). */
    live_since: string | null;
  };
  /** Attendees of a webinar brought on stage as panelists (025_webinars). */
  webinar_promotions: { meeting_id: string; user_id: string; promoted_at: string };
  /** A webinar's public registration (027_registration). */
  webinar_registration: {
    meeting_id: string;
    open: number;
    approval: string;
    capacity: number | null;
    /** JSON: RegistrationQuestion[] */
    questions: string;
    updated_at: string;
  };
  /** One registrant of a webinar (027_registration). */
  webinar_registrants: {
    id: string;
    organisation_id: string;
    meeting_id: string;
    name: string;
    email: string;
    /** JSON: answers by question id */
    answers: string;
    status: string;
    token_hash: string | null;
    user_id: string | null;
    created_at: string;
    decided_at: string | null;
    joined_at: string | null;
  };
  /** A meeting's latest live stream (028_streams). */
  meeting_streams: {
    meeting_id: string;
    organisation_id: string;
    /** Names the run: its recorder process. */
    run_id: string;
    status: string;
    url: string;
    /** JSON: the stream key sealed with the vault keyring; null without one. */
    key_sealed: string | null;
    started_by_id: string;
    started_by_name: string;
    started_at: string;
    live_since: string | null;
    ended_at: string | null;
    failure: string | null;
    /** The coordination instance whose recorder runs it (057_stream_instance); null before. */
    instance_id: string | null;
  };
  /** One occurrence of a series changed on its own (021_recurrence). */
  meeting_occurrences: {
    meeting_id: string;
    /** The occurrence's start by the rule, ISO. */
    occurrence_id: string;
    starts_at: string | null;
    ends_at: string | null;
    title: string | null;
    cancelled: number;
    updated_at: string;
    /** 1: cancelled by an EXDATE of its linked Google series alone (039_google_exdates). */
    by_exdate: number;
  };
  /** A change subscription on a person's connected calendar (021_recurrence). */
  calendar_subscriptions: {
    id: string;
    organisation_id: string;
    user_id: string;
    provider: string;
    client_state: string;
    expires_at: string;
    /** A Google channel's watched resource and its incremental sync token (029_calendar_sync). */
    resource_id: string | null;
    sync_token: string | null;
  };
  /** Calendar notifications accepted and not yet followed (046_calendar_notifications). */
  calendar_notifications: {
    id: string;
    subscription_id: string;
    /** Graph: the event ids the notification named (JSON array); Google: []. */
    event_ids: string;
    attempts: Generated<number>;
    next_attempt_at: string;
    created_at: string;
  };
  /** Who a meeting is for besides its owner; one row per (meeting, person). */
  meeting_invitees: { meeting_id: string; user_id: string };
  lobby_entries: {
    id: string;
    meeting_id: string;
    user_id: string;
    status: string;
    /** Chosen at join; null shows the account's name. */
    display_name: string | null;
    created_at: string;
    updated_at: string;
  };
  conversations: {
    id: string;
    organisation_id: string;
    kind: string;
    meeting_id: string | null;
    name: string;
    latest_seq: number;
    created_at: string;
    /** 1: members only (016_conversation_members); always 1 for direct and group chats. */
    private: number;
    archived_at: string | null;
    /** A channel's creator; NULL for meeting chats and channels created before 016. */
    created_by: string | null;
    /** A direct chat's two people, sorted, joined by ':' (unique per organisation); NULL otherwise. */
    direct_key: string | null;
    /** Bumped with every change of who belongs to the conversation (045_roster_version). */
    roster_version: Generated<number>;
  };
  /**
   * In a private conversation a row is a membership (`owner` or `member`); in a public channel or a
   * meeting's chat it only keeps the read position (`reader`; a channel's creator is `owner`) and
   * whether the person left the channel.
   */
  conversation_members: {
    conversation_id: string;
    user_id: string;
    role: string;
    joined_at: string;
    /** Events up to this seq are not this person's to read (added without history). */
    visible_from_seq: number;
    last_read_seq: number | null;
    left_at: string | null;
  };
  chat_events: {
    conversation_id: string;
    seq: number;
    client_id: string;
    message_id: string;
    author_id: string;
    type: string;
    body: string | null;
    created_at: string;
    /** The event's place in its organisation's change stream (older rows numbered by 007_change_stream). */
    organisation_id: string;
    org_offset: number;
    /** A `message` event's thread root (010_threads_reactions); NULL for a top-level message. */
    thread_of: string | null;
    /** A `react` or `unreact` event's emoji; NULL for the other types. */
    emoji: string | null;
    /** A `message` event's files, JSON of `ChatFileRef[]` (018_files_presence); NULL without. */
    files: string | null;
    /** 1 for a `message` event marked urgent (024_urgent_messages), else 0. */
    urgent: number;
  };
  decisions: {
    id: string;
    organisation_id: string;
    client_id: string;
    title: string;
    detail: string;
    outcome: string;
    owner_id: string | null;
    due_date: string | null;
    status: string;
    meeting_id: string | null;
    message_conversation_id: string | null;
    message_id: string | null;
    version: number;
    created_by: string;
    created_at: string;
    updated_at: string;
    /** JSON of DecisionMoment for a decision confirmed from meeting notes (019_notes). */
    moment: string | null;
    /** The position of the decision's latest version among the organisation's (055_decision_seq). */
    change_seq: number;
  };
  decision_changes: { decision_id: string; version: number; changed_by: string; changed_at: string; changes: string };
  presence: {
    user_id: string;
    organisation_id: string;
    status: string;
    meeting_id: string | null;
    updated_at: string;
    /**
     * The status set by hand (044_chosen_status): 'available' (none), 'busy', 'dnd' or 'away',
     * until `chosen_until` (NULL: until changed).
     */
    chosen: Generated<string>;
    chosen_until: string | null;
    /** The custom status message people set; NULL without. */
    status_text: string | null;
  };
  attendance: {
    id: Generated<number>;
    meeting_id: string;
    identity: string;
    user_id: string | null;
    joined_at: string;
    left_at: string | null;
    /** 1: a phone call (a SIP participant), 041_reconcile_rooms. */
    phone: Generated<number>;
  };
  room_events: { id: Generated<number>; meeting_id: string; event: string; at: string };
  /** LiveKit webhooks handled, by LiveKit's id (053_livekit_webhooks): not handled twice. */
  livekit_webhooks: { id: string; handled_at: string };
  /** Ended meetings whose notes are not made yet (058_notes_due). */
  notes_due: {
    meeting_id: string;
    organisation_id: string;
    due_at: string;
    attempts: Generated<number>;
    claimed_until: string | null;
  };
  /** Append-only (011_audit): triggers refuse UPDATE and DELETE. `detail` is JSON. */
  audit_log: {
    seq: Generated<number>;
    id: string;
    organisation_id: string;
    at: string;
    action: string;
    actor_kind: string;
    actor_id: string | null;
    actor_label: string;
    target_kind: string | null;
    target_id: string | null;
    target_label: string | null;
    address: string;
    client: string;
    detail: string;
  };
  /** 014_integrations: `scopes` and `events` are JSON arrays; `enabled` is 0/1. */
  api_keys: {
    id: string;
    organisation_id: string;
    user_id: string;
    name: string;
    prefix: string;
    secret_hash: string;
    scopes: string;
    created_by: string;
    created_at: string;
    last_used_at: string | null;
    revoked_at: string | null;
  };
  webhook_endpoints: {
    id: string;
    organisation_id: string;
    url: string;
    description: string;
    events: string;
    secret: string;
    enabled: number;
    disabled_reason: string | null;
    consecutive_failures: Generated<number>;
    created_by: string;
    created_at: string;
    updated_at: string;
    /** The organisation's change offset up to which this endpoint's `message.created` are queued. */
    chat_offset: number;
  };
  webhook_deliveries: {
    id: string;
    endpoint_id: string;
    organisation_id: string;
    event_id: string;
    event_type: string;
    payload: string;
    status: 'pending' | 'delivering' | 'succeeded' | 'failed';
    attempts: Generated<number>;
    next_attempt_at: string;
    created_at: string;
  };
  webhook_attempts: {
    id: string;
    delivery_id: string;
    endpoint_id: string;
    attempt: number;
    at: string;
    outcome: 'succeeded' | 'retrying' | 'failed';
    response_status: number | null;
    duration_ms: number;
    error: string | null;
  };
  /** One per recording (015_recordings); the file is in the recording storage under `storage_key`. */
  recordings: {
    id: string;
    organisation_id: string;
    meeting_id: string;
    status: string;
    started_by: string;
    started_by_name: string;
    created_at: string;
    started_at: string | null;
    ended_at: string | null;
    duration_ms: number | null;
    size_bytes: number | null;
    failure: string | null;
    storage_key: string | null;
    /** The coordination instance whose recorder makes it (056_recording_instance); null before. */
    instance_id: string | null;
  };
  /** Short-lived addresses of recordings' files, by the hash of their token. */
  recording_links: { token_hash: string; recording_id: string; expires_at: string };
  /** One utterance of one speaker in a meeting (017_transcripts). */
  transcript_segments: {
    id: string;
    organisation_id: string;
    meeting_id: string;
    speaker_user_id: string | null;
    speaker_name: string;
    started_at: string;
    ended_at: string;
    text: string;
  };
  /** One per generation of a meeting's notes (019_notes); the newest is the meeting's. */
  meeting_notes: {
    id: string;
    organisation_id: string;
    meeting_id: string;
    provider: string;
    summary: string;
    time_zone: string;
    segment_count: number;
    generated_at: string;
    requested_by: string | null;
  };
  /** A decision or action item the notes propose; `evidence` is JSON of NoteEvidence[]. */
  note_items: {
    id: string;
    notes_id: string;
    position: number;
    kind: string;
    title: string;
    owner_id: string | null;
    owner_name: string | null;
    due_date: string | null;
    evidence: string;
    status: string;
    decision_id: string | null;
    decided_by: string | null;
    decided_by_name: string | null;
    decided_at: string | null;
  };
  /** One per file uploaded into a conversation (018_files_presence); `message_id` once attached. */
  chat_files: {
    id: string;
    organisation_id: string;
    conversation_id: string;
    uploaded_by: string;
    name: string;
    content_type: string;
    size_bytes: number;
    storage_key: string;
    created_at: string;
    message_id: string | null;
  };
  /** Short-lived addresses of chat files, by the hash of their token, for the person each was made for. */
  chat_file_links: { token_hash: string; file_id: string; user_id: string; expires_at: string };
  /** End-to-end encryption (020_e2ee): public keys and wrapped keys only. */
  e2ee_devices: { id: string; organisation_id: string; user_id: string; public_key: string; created_at: string };
  e2ee_meeting_devices: { meeting_id: string; user_id: string; device_id: string; announced_at: string };
  e2ee_key_generations: { meeting_id: string; generation: number; created_by_device: string; created_at: string };
  e2ee_wrapped_keys: {
    meeting_id: string;
    generation: number;
    recipient_device: string;
    sender_device: string;
    wrapped: string;
    created_at: string;
  };
  /** Pages of business web apps (022_pages). */
  page_tokens: {
    token_hash: string;
    organisation_id: string;
    user_id: string;
    app: string;
    view: string;
    record_id: string;
    url: string;
    title: string;
    expires_at: string;
  };
  page_docs: { organisation_id: string; page_key: string; state: string; updated_at: string };
  page_delegations: {
    id: string;
    organisation_id: string;
    page_key: string;
    app: string;
    view: string;
    record_id: string;
    url: string;
    title: string;
    field: string;
    field_label: string;
    delegate_id: string;
    delegated_by: string;
    note: string;
    due_date: string | null;
    status: string;
    created_at: string;
    finished_at: string | null;
  };
  page_threads: {
    organisation_id: string;
    page_key: string;
    field: string;
    app: string;
    view: string;
    record_id: string;
    url: string;
    title: string;
    field_label: string;
    conversation_id: string;
    created_at: string;
  };
  user_skills: {
    organisation_id: string;
    user_id: string;
    skill_key: string;
    skill: string;
    position: number;
  };
  page_rooms: {
    organisation_id: string;
    page_key: string;
    meeting_id: string;
  };
  expert_asks: {
    id: string;
    organisation_id: string;
    asked_by: string;
    skill: string;
    note: string;
    page_key: string;
    app: string;
    view: string;
    record_id: string;
    url: string;
    title: string;
    meeting_id: string;
    /** JSON: the ids of everyone rung, in order. */
    rung: string;
    /** JSON: the ids of those who declined. */
    declined: string;
    answered_by: string | null;
    status: string;
    created_at: string;
    ring_until: string;
    finished_at: string | null;
  };
  /** A meeting's phone PIN, made when first asked for; unique on the instance (026_phone). */
  meeting_phone_pins: { meeting_id: string; pin: string; created_at: string };
  /** The numbers an organisation's people call in on, in the order shown. */
  dial_in_numbers: { organisation_id: string; position: number; number: string; label: string };
  /** One wrong PIN from one calling number: the rate limit counts the recent ones. */
  phone_pin_failures: { caller: string; failed_at: string };
  /** One whiteboard element: the record that won the merge so far, tombstones kept (032_whiteboards). */
  whiteboard_elements: {
    organisation_id: string;
    meeting_id: string;
    element_id: string;
    author_id: string;
    version: number;
    version_nonce: number;
    /** JSON: the element record as clients sent it (validated by the route). */
    record: string;
    updated_at: string;
  };
};

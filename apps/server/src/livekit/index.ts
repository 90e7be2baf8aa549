import { ParticipantInfo_Kind } from '@livekit/protocol';
import type { Participant, ParticipantAttributes, ParticipantRole } from '@tandem/shared';
import {
  AccessToken,
  DataPacket_Kind,
  RoomServiceClient,
  SipClient,
  TrackSource,
  TrackType,
  WebhookReceiver,
  type ParticipantInfo,
  type VideoGrant,
} from 'livekit-server-sdk';

export type LivekitSettings = {
  readonly wsUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** How long a minted join token may be used to connect. */
  readonly tokenTtlSeconds: number;
};

export type MintRequest = {
  readonly room: string;
  readonly identity: string;
  readonly name: string;
  readonly role: ParticipantRole;
  /** Hosts-only screen share leaves attendees camera and microphone. */
  readonly attendeesMayShareScreen: boolean;
  readonly attributes: ParticipantAttributes;
  /** A webinar's attendee: nobody else in the room sees them (LiveKit's `hidden` grant). */
  readonly hidden?: boolean;
};

/** A call livekit-sip places into a room (dial-out, the audio bridge). */
export type SipDial = {
  readonly trunkId: string;
  /** E.164 number or SIP address. */
  readonly to: string;
  readonly room: string;
  readonly identity: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Keypad tones once answered; `w` waits half a second. */
  readonly dtmf?: string;
  /**
   * Seconds to let it ring, then `dial` waits until it is answered and rejects when it is not
   * (refused, unreachable, not answered in time); without it `dial` returns once livekit-sip dials.
   */
  readonly answerWithinSeconds?: number;
};

/** The trunk livekit-sip places calls through: a SIP trunk provider, or any SIP server (host[:port]). */
export type OutboundTrunkSettings = {
  readonly address: string;
  /** The number calls come from (caller ID). */
  readonly number: string;
  readonly username?: string;
  readonly password?: string;
};

/** A SIP participant's call as LiveKit reports it (`sip.callStatus`): dialing, ringing, active, hangup. */
export type SipCallStatus = 'dialing' | 'ringing' | 'active' | 'hangup' | 'automation';

/** Names of what the server provisions in LiveKit SIP, so a restart finds them instead of adding more. */
const INBOUND_TRUNK = 'tandem-dial-in';
const OUTBOUND_TRUNK = 'tandem-dial-out';

/** What the server learns from a verified LiveKit webhook. */
/** `id`: LiveKit's id of the event, the same when it delivers the event again. */
export type RoomWebhook =
  | { readonly kind: 'room_started' | 'room_finished'; readonly id: string; readonly room: string; readonly at: Date }
  | {
      /** `screen_share_started`/`_stopped`: the participant published or unpublished a screen share. */
      readonly kind: 'participant_joined' | 'participant_left' | 'screen_share_started' | 'screen_share_stopped';
      readonly id: string;
      readonly room: string;
      readonly identity: string;
      readonly at: Date;
      /** A phone call (livekit-sip's participant, as LiveKit itself marks it; not an attribute anyone may set). */
      readonly phone: boolean;
    }
  | { readonly kind: 'ignored' };

export type TrackKind = 'audio' | 'video' | 'all';

/** A room LiveKit holds: how many are in it (hidden helpers counted too), and since when. */
export type HeldRoom = { readonly name: string; readonly participants: number; readonly since: Date };

/** Someone in a room, as LiveKit lists them; `phone`: a phone call (livekit-sip's participant). */
export type PresentParticipant = { readonly identity: string; readonly joinedAt: Date; readonly phone: boolean };
/** Who LiveKit lists in a room: its people (hidden helpers left out), and whether its transcriber is among the helpers. */
export type RoomPeople = { readonly people: readonly PresentParticipant[]; readonly transcribed: boolean };

/** The recorder joins as `recorder-<recording id>`: hidden, subscribing only, nobody's attendance. */
const RECORDER_PREFIX = 'recorder-';
export const recorderIdentity = (recordingId: string): string => `${RECORDER_PREFIX}${recordingId}`;
/** The transcriber joins as `transcriber-<meeting id>`: hidden and subscribing only, like a recorder. */
const TRANSCRIBER_PREFIX = 'transcriber-';
/** The phone agent answers a caller in the caller's own room, never in a meeting's. */
const PHONE_AGENT = 'tandem-phone-agent';
const isHiddenHelper = (identity: string): boolean =>
  identity.startsWith(RECORDER_PREFIX) || identity.startsWith(TRANSCRIBER_PREFIX);

export type Livekit = ReturnType<typeof createLivekit>;

/** The sources someone who may publish is limited to when hosts alone share screens; none: every source. */
const sourcesOf = (attendeesMayShareScreen: boolean): TrackSource[] =>
  attendeesMayShareScreen ? [] : [TrackSource.CAMERA, TrackSource.MICROPHONE];

/** Explicit grants per role: nothing is granted by default. */
function grantFor(r: MintRequest): VideoGrant {
  const base: VideoGrant = {
    room: r.room,
    roomJoin: true,
    canSubscribe: true,
    ...(r.hidden === true ? { hidden: true } : {}),
  };
  switch (r.role) {
    case 'host':
      return { ...base, roomAdmin: true, canPublish: true, canPublishData: true };
    case 'attendee':
      return {
        ...base,
        canPublish: true,
        canPublishData: true,
        ...(r.attendeesMayShareScreen ? {} : { canPublishSources: sourcesOf(false) }),
      };
    case 'viewer':
      return { ...base, canPublish: false, canPublishData: false };
    default: {
      const never: never = r.role;
      throw new Error(`unknown role ${String(never)}`);
    }
  }
}

const kindOf = (t: TrackType): Participant['tracks'][number]['kind'] => {
  switch (t) {
    case TrackType.AUDIO:
      return 'audio';
    case TrackType.VIDEO:
      return 'video';
    case TrackType.DATA:
      return 'data';
    default:
      return 'unknown';
  }
};

const toParticipant = (p: ParticipantInfo): Participant => {
  const role = p.attributes['role'];
  return {
    identity: p.identity,
    userId: p.attributes['userId'] ?? null,
    name: p.name,
    role: role === 'host' || role === 'attendee' || role === 'viewer' ? role : null,
    canPublish: p.permission?.canPublish ?? false,
    tracks: p.tracks.map((t) => ({ sid: t.sid, kind: kindOf(t.type), muted: t.muted })),
  };
};

const WEBHOOK_KINDS = new Set([
  'room_started',
  'room_finished',
  'participant_joined',
  'participant_left',
  'track_published',
  'track_unpublished',
]);

/** The only code that talks to LiveKit's server API. */
export function createLivekit(settings: LivekitSettings) {
  const httpUrl = settings.wsUrl.replace(/^ws/, 'http');
  const rooms = new RoomServiceClient(httpUrl, settings.apiKey, settings.apiSecret);
  const sip = new SipClient(httpUrl, settings.apiKey, settings.apiSecret);
  const webhooks = new WebhookReceiver(settings.apiKey, settings.apiSecret);
  const isNotFound = (e: unknown): boolean => e instanceof Error && /not.?found|does not exist/i.test(e.message);

  /**
   * Everyone in the room; nobody when LiveKit holds no such room. With several nodes LiveKit is
   * set to ask the room's node (docs/deploy/), and a room no node holds then answers nothing at
   * all (an error after seconds, not not_found): so the room is looked up first.
   */
  async function inRoom(room: string): Promise<ParticipantInfo[]> {
    if ((await rooms.listRooms([room])).length === 0) return [];
    try {
      return await rooms.listParticipants(room);
    } catch (e) {
      if (isNotFound(e)) return [];
      throw e;
    }
  }

  return {
    wsUrl: settings.wsUrl,

    async ensureRoom(room: string): Promise<void> {
      await rooms.createRoom({ name: room, emptyTimeout: 300 });
    },

    async mint(r: MintRequest): Promise<{ token: string; expiresAt: Date }> {
      const token = new AccessToken(settings.apiKey, settings.apiSecret, {
        identity: r.identity,
        name: r.name,
        ttl: settings.tokenTtlSeconds,
        attributes: { ...r.attributes },
      });
      token.addGrant(grantFor(r));
      return { token: await token.toJwt(), expiresAt: new Date(Date.now() + settings.tokenTtlSeconds * 1000) };
    },

    /**
     * A token for a recorder: hidden from the others (they see no participant), subscribing to
     * everything, publishing nothing, not even data.
     */
    async mintRecorder(room: string, recordingId: string): Promise<string> {
      const token = new AccessToken(settings.apiKey, settings.apiSecret, {
        identity: recorderIdentity(recordingId),
        name: 'Recorder',
        ttl: settings.tokenTtlSeconds,
      });
      token.addGrant({
        room,
        roomJoin: true,
        canSubscribe: true,
        canPublish: false,
        canPublishData: false,
        hidden: true,
        recorder: true,
      });
      return token.toJwt();
    },

    /** A token for a meeting's transcriber: hidden, subscribing to everything, publishing nothing. */
    async mintTranscriber(room: string, meetingId: string): Promise<string> {
      const token = new AccessToken(settings.apiKey, settings.apiSecret, {
        identity: `${TRANSCRIBER_PREFIX}${meetingId}`,
        name: 'Transcriber',
        ttl: settings.tokenTtlSeconds,
      });
      token.addGrant({
        room,
        roomJoin: true,
        canSubscribe: true,
        canPublish: false,
        canPublishData: false,
        hidden: true,
      });
      return token.toJwt();
    },

    /**
     * A token for the phone agent that answers a caller in their own room (prompts, keypad tones):
     * it publishes the prompts the caller hears and subscribes to the caller.
     */
    async mintPhoneAgent(room: string): Promise<string> {
      const token = new AccessToken(settings.apiKey, settings.apiSecret, {
        identity: PHONE_AGENT,
        name: 'Tandem',
        ttl: settings.tokenTtlSeconds,
      });
      token.addGrant({ room, roomJoin: true, canSubscribe: true, canPublish: true, canPublishData: true });
      return token.toJwt();
    },

    /**
     * A token for the connection test (Help → Connection test): its own room, subscribe only, no
     * data, so it reaches signalling and the media path and can disturb nobody.
     */
    async mintConnectionTest(room: string, identity: string): Promise<string> {
      const token = new AccessToken(settings.apiKey, settings.apiSecret, { identity, ttl: settings.tokenTtlSeconds });
      token.addGrant({ room, roomJoin: true, canSubscribe: true, canPublish: false, canPublishData: false });
      return token.toJwt();
    },

    /** Phone calls: livekit-sip's trunks, dispatch rule and calls, through livekit-server. */
    sip: {
      /**
       * Calls to livekit-sip land each in a room of its own named `<roomPrefix>…`: our inbound
       * trunk (from `allowedAddresses`, CIDRs; any when empty) and its dispatch rule, found by
       * name or made once.
       */
      async ensureDialIn(roomPrefix: string, allowedAddresses: readonly string[]): Promise<void> {
        const trunks = await sip.listSipInboundTrunk();
        const trunk =
          trunks.find((t) => t.name === INBOUND_TRUNK) ??
          (await sip.createSipInboundTrunk(INBOUND_TRUNK, [], { allowedAddresses: [...allowedAddresses] }));
        const rules = await sip.listSipDispatchRule();
        if (rules.some((r) => r.name === INBOUND_TRUNK)) return;
        await sip.createSipDispatchRule(
          { type: 'individual', roomPrefix },
          { name: INBOUND_TRUNK, trunkIds: [trunk.sipTrunkId] },
        );
      },

      /** The id of our outbound trunk named `name`; made, or made again when the settings changed. */
      async ensureOutbound(trunk: OutboundTrunkSettings, name = OUTBOUND_TRUNK): Promise<string> {
        const existing = (await sip.listSipOutboundTrunk()).find((t) => t.name === name);
        if (
          existing !== undefined &&
          existing.address === trunk.address &&
          existing.numbers.join() === trunk.number &&
          existing.authUsername === (trunk.username ?? '')
        )
          return existing.sipTrunkId;
        if (existing !== undefined) await sip.deleteSipTrunk(existing.sipTrunkId);
        const made = await sip.createSipOutboundTrunk(name, trunk.address, [trunk.number], {
          // SIP_TRANSPORT_AUTO (the SDK does not re-export the enum): UDP unless the address says otherwise.
          transport: 0,
          ...(trunk.username === undefined ? {} : { authUsername: trunk.username }),
          ...(trunk.password === undefined ? {} : { authPassword: trunk.password }),
        });
        return made.sipTrunkId;
      },

      /**
       * Places the call; the callee joins `room` as `identity` once livekit-sip has dialled. Not
       * waiting for the answer unless `answerWithinSeconds` says so.
       */
      async dial(d: SipDial): Promise<void> {
        await sip.createSipParticipant(d.trunkId, d.to, d.room, {
          participantIdentity: d.identity,
          participantName: d.name,
          participantAttributes: { ...d.attributes },
          ...(d.dtmf === undefined ? {} : { dtmf: d.dtmf }),
          playDialtone: false,
          ...(d.answerWithinSeconds === undefined
            ? {}
            : {
                waitUntilAnswered: true,
                ringingTimeout: d.answerWithinSeconds,
                // The request outlives the ringing and the keypad tones sent before the answer
                // counts (livekit-sip answers when it gives up); livekit-server allows 80 s.
                timeout: d.answerWithinSeconds + 40,
              }),
        });
      },

      /**
       * Where a SIP participant's call stands, with the attributes it was placed with; undefined
       * when it is not (or no longer) in the room.
       */
      async call(
        room: string,
        identity: string,
      ): Promise<{ status: SipCallStatus; attributes: Readonly<Record<string, string>> } | undefined> {
        try {
          const p = await rooms.getParticipant(room, identity);
          return {
            status: (p.attributes['sip.callStatus'] as SipCallStatus | undefined) ?? 'dialing',
            attributes: p.attributes,
          };
        } catch (e) {
          if (isNotFound(e)) return undefined;
          throw e;
        }
      },

      /** Whether a phone agent is in the dial-in room already (this instance's or another's). */
      async answered(room: string): Promise<boolean> {
        return (await inRoom(room)).some((p) => p.identity === PHONE_AGENT);
      },

      /** The caller in a dial-in room: their identity and the number they call from. */
      async caller(room: string): Promise<{ identity: string; number: string } | undefined> {
        const p = (await inRoom(room)).find((x) => x.attributes['sip.phoneNumber'] !== undefined);
        return p === undefined ? undefined : { identity: p.identity, number: p.attributes['sip.phoneNumber'] ?? '' };
      },
    },

    /** Sends `payload` to everyone in the room on a data topic (reliable). */
    async broadcast(room: string, topic: string, payload: Uint8Array): Promise<void> {
      await rooms.sendData(room, payload, DataPacket_Kind.RELIABLE, { topic });
    },

    /** An empty list when the room does not exist (nobody has joined yet). */
    async participants(room: string): Promise<Participant[]> {
      // A recorder is hidden from the call, and from its participant list too.
      return (await inRoom(room)).filter((p) => !isHiddenHelper(p.identity)).map(toParticipant);
    },

    /** Identities of everyone in the room, helpers and phone calls included; empty when the room does not exist. */
    async participantIdentities(room: string): Promise<string[]> {
      return (await inRoom(room)).map((p) => p.identity);
    },

    /** The rooms LiveKit holds open now, with how many are in each and since when. */
    async heldRooms(): Promise<HeldRoom[]> {
      return (await rooms.listRooms()).map((r) => ({
        name: r.name,
        participants: r.numParticipants,
        since: new Date(Number(r.creationTime) * 1000),
      }));
    },

    /**
     * Who is in the room now, hidden helpers left out (they have no visits), and whether its
     * transcriber is there; nobody when there is no room.
     */
    async present(room: string): Promise<RoomPeople> {
      const listed = await inRoom(room);
      return {
        people: listed
          .filter((p) => !isHiddenHelper(p.identity))
          .map((p) => ({
            identity: p.identity,
            joinedAt: new Date(Number(p.joinedAt) * 1000),
            phone: p.kind === ParticipantInfo_Kind.SIP,
          })),
        transcribed: listed.some((p) => p.identity.startsWith(TRANSCRIBER_PREFIX)),
      };
    },

    async muteTracks(room: string, identity: string, kind: TrackKind): Promise<number> {
      const p = await rooms.getParticipant(room, identity);
      const targets = p.tracks.filter((t) => !t.muted && (kind === 'all' || kindOf(t.type) === kind));
      for (const t of targets) await rooms.mutePublishedTrack(room, identity, t.sid, true);
      return targets.length;
    },

    /** Removing someone who already left is not an error. */
    async remove(room: string, identity: string): Promise<void> {
      try {
        await rooms.removeParticipant(room, identity);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    },

    async setPermissions(
      room: string,
      identity: string,
      permission: { canPublish: boolean; canSubscribe: boolean; canPublishData: boolean },
    ): Promise<void> {
      await rooms.updateParticipant(room, identity, { permission });
    },

    /**
     * A webinar attendee brought on stage (publishing, seen by everyone) or back to the audience
     * (subscribing only, hidden; LiveKit unpublishes what they published): new grants and role
     * in place, no rejoin. Someone not in the room is not an error (their next token carries it).
     */
    async setOnStage(
      room: string,
      identity: string,
      onStage: boolean,
      attendeesMayShareScreen: boolean,
    ): Promise<void> {
      const role: ParticipantRole = onStage ? 'attendee' : 'viewer';
      try {
        await rooms.updateParticipant(room, identity, {
          permission: {
            canSubscribe: true,
            canPublish: onStage,
            canPublishData: onStage,
            canPublishSources: onStage ? sourcesOf(attendeesMayShareScreen) : [],
            hidden: !onStage,
          },
          attributes: { role },
        });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    },

    async endRoom(room: string): Promise<void> {
      try {
        await rooms.deleteRoom(room);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    },

    /** Health check: answers within `timeoutMs` even when LiveKit's host swallows packets. */
    async reachable(timeoutMs = 3000): Promise<boolean> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const probe = rooms.listRooms([]).then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([probe, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    /** Verifies the signature (Authorization header) and reduces the event to what we record. */
    async receiveWebhook(body: string, authorization: string | undefined): Promise<RoomWebhook> {
      const event = await webhooks.receive(body, authorization);
      const room = event.room?.name;
      if (!WEBHOOK_KINDS.has(event.event) || room === undefined) return { kind: 'ignored' };
      // createdAt is in seconds; an event without one is stamped on arrival.
      const at = event.createdAt > 0 ? new Date(Number(event.createdAt) * 1000) : new Date();
      const id = event.id;
      if (event.event === 'room_started' || event.event === 'room_finished') return { kind: event.event, id, room, at };
      const identity = event.participant?.identity;
      if (identity === undefined || isHiddenHelper(identity)) return { kind: 'ignored' };
      const phone = event.participant?.kind === ParticipantInfo_Kind.SIP;
      if (event.event === 'track_published' || event.event === 'track_unpublished') {
        // Only a screen share says anything about the person (they present); other tracks do not.
        if (event.track?.source !== TrackSource.SCREEN_SHARE) return { kind: 'ignored' };
        const kind = event.event === 'track_published' ? 'screen_share_started' : 'screen_share_stopped';
        return { kind, id, room, identity, at, phone };
      }
      return { kind: event.event as 'participant_joined' | 'participant_left', id, room, identity, at, phone };
    },
  };
}

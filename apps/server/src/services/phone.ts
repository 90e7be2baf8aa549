import { randomInt } from 'node:crypto';
import {
  PHONE_PIN_DIGITS,
  dialOutName,
  formatPin,
  maskPhoneNumber,
  parseSipAddress,
  type AudioBridge,
  type DialInDetails,
  type DialInNumbers,
  type DialOutResult,
  type Meeting,
} from '@tandem/shared';
import type { Livekit, OutboundTrunkSettings } from '../livekit/index.ts';
import { joinCall, type PhoneAgent } from '../phone/agent.ts';
import type { Voice } from '../phone/prompts.ts';
import { bridgeDestination, isBridgeIdentity, planSipBridge, type SipBridgeRequest } from '../providers/sipBridge.ts';
import type { Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import type { AuthService } from './auth.ts';
import { auditActor, isOrgAdmin, nowIso, type Caller, type RequestOrigin } from './context.ts';
import { resolveHost, systemLookup, TargetRefused } from '../outgoing/target.ts';
import { ServiceError, badRequest, conflict, forbidden } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import { roomOf, type MeetingService } from './meetings.ts';
import type { PresenceService } from './presence.ts';
import type { Log } from './realtime.ts';

/** What IT configures for phone calls (config.ts reads it from the environment). */
export type PhoneSettings = {
  /** Dial-in through livekit-sip; null: nobody calls in (the routes say `available: false`). */
  readonly dialIn: {
    /** CIDRs the SIP trunk provider calls from; empty: any address. */
    readonly allowedAddresses: readonly string[];
  } | null;
  /** The trunk dial-out and the audio bridge call through; null: neither is offered. */
  readonly outbound: OutboundTrunkSettings | null;
  /** Wrong PINs one calling number may enter within `pinFailureWindowMs` before it is refused. */
  readonly maxPinFailures: number;
  readonly pinFailureWindowMs: number;
  /** The audio bridge prefers a linked meeting's number with this country code (`+44`). */
  readonly preferredPrefix?: string;
  /** SIP addresses on loopback and private networks may be called (tests; a PBX on the LAN). */
  readonly sipAllowPrivate?: boolean;
  /** How long a linked meeting's room connector may ring before the bridge calls its phone bridge instead (20 s). */
  readonly connectorRingSeconds?: number;
};

export type PhoneSetup = { readonly settings: PhoneSettings; readonly voice: Voice };

/** Each dial-in call lands in a room of its own: `phone-in-_<number>_<random>` (livekit-sip's individual rule). */
const CALL_ROOM_PREFIX = 'phone-in-';
/** How often new calls are looked for, and a waiting caller's lobby entry read. */
const POLL_MS = 300;
/** Wrong PINs within one call before it is hung up. */
const TRIES_PER_CALL = 3;
/** How long a new call's room may wait for its caller to show up in it. */
const CALLER_WAIT_MS = 10_000;

/** How long a linked meeting's room connector may ring, unless the settings say. */
const CONNECTOR_RING_SECONDS = 20;
/** The phone bridge's participant attribute naming the room connector that refused the call first. */
const FELL_BACK_FROM = 'bridgeFellBackFrom';
const BRIDGE_OFF: AudioBridge = { state: 'off', to: null, fellBackFrom: null };

/** Where phone callers' own actions come from, for the audit log. */
const PHONE_ORIGIN: RequestOrigin = { address: 'phone', client: 'livekit-sip' };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A meeting's PIN, drawn at random the first time it is asked for (again when the draw is taken). */
async function pinFor(store: Store, meetingId: string): Promise<string> {
  for (;;) {
    const drawn = String(randomInt(10 ** (PHONE_PIN_DIGITS - 1), 10 ** PHONE_PIN_DIGITS));
    const pin = await store.phone.claimPin(meetingId, drawn, nowIso());
    if (pin !== undefined) return pin;
  }
}

/**
 * The dial-in lines of a meeting's invitation (the ICS description): the organisation's numbers
 * and the meeting's PIN; none when this server takes no calls or the organisation has no number.
 */
export function dialInLines(store: Store, settings: PhoneSettings | undefined) {
  return async (meeting: Meeting): Promise<string[]> => {
    const numbers = await store.phone.numbers(meeting.organisationId);
    if (settings?.dialIn == null || numbers.length === 0) return [];
    const pin = await pinFor(store, meeting.id);
    return [
      ...numbers.map((n) => `Dial-in: ${n.number}${n.label === '' ? '' : ` (${n.label})`}`),
      `Phone PIN: ${formatPin(pin)} #`,
    ];
  };
}

/**
 * Phone calls into meetings. Dial-in: the organisation's numbers reach livekit-sip, which puts
 * each call in a room of its own; the phone agent (`phone/agent.ts`) answers there, asks for the
 * meeting's PIN, and the caller knocks like a guest by link (a guest account named by their masked
 * number), waiting in the lobby until a host lets them in. Then the agent relays audio into the
 * meeting under the caller's own token, so hosts mute and remove them like anyone. Dial-out and
 * the audio bridge have livekit-sip call out into the meeting's room directly.
 */
export function phoneService(
  store: Store,
  livekit: Livekit,
  access: MeetingAccess,
  meetings: MeetingService,
  identity: AuthService,
  audit: AuditService,
  presence: Pick<PresenceService, 'hold'>,
  setup: PhoneSetup | undefined,
  log: Log,
) {
  const settings = setup?.settings;
  const calls = new Map<string, Promise<void>>();
  /** Calls being answered now: stopping the server hangs them up. */
  const agents = new Set<PhoneAgent>();
  /**
   * Audio bridges this instance is placing, by meeting: a room connector ringing, or the phone
   * bridge called after the connector refused. A host's stop takes the meeting out, so a refusal
   * that follows it calls nothing more.
   */
  const bridging = new Map<string, Pick<AudioBridge, 'to' | 'fellBackFrom'>>();
  /** Their calls under way, which stopping the server waits for. */
  const placing = new Set<Promise<void>>();
  let polling: NodeJS.Timeout | undefined;

  /** What a PIN typed from `number` opens: a meeting, nothing (counted against the number), or a refusal. */
  async function tryPin(number: string, pin: string): Promise<{ meeting: Meeting } | 'wrong' | 'blocked'> {
    if (settings === undefined) return 'blocked';
    const since = new Date(Date.now() - settings.pinFailureWindowMs).toISOString();
    const key = number === '' ? 'anonymous' : number;
    if ((await store.phone.pinFailuresSince(key, since)) >= settings.maxPinFailures) return 'blocked';
    const found = /^\d+$/.test(pin) ? await store.phone.meetingByPin(pin) : undefined;
    const meeting = found === undefined ? undefined : await store.meetings.get(found.organisationId, found.meetingId);
    if (meeting !== undefined) return { meeting };
    await store.phone.recordPinFailure(key, nowIso());
    return (await store.phone.pinFailuresSince(key, since)) >= settings.maxPinFailures ? 'blocked' : 'wrong';
  }

  /** Waits for the hosts' verdict on a caller's lobby entry, or for the caller to hang up. */
  async function verdict(
    meetingId: string,
    guestId: string,
    agent: PhoneAgent,
  ): Promise<'admitted' | 'refused' | 'gone'> {
    let gone = false;
    void agent.hungUp.then(() => (gone = true));
    for (;;) {
      if (gone) return 'gone';
      const status = (await store.meetings.entryOf(meetingId, guestId))?.status;
      if (status === 'admitted') return 'admitted';
      if (status !== 'waiting') return 'refused';
      await sleep(POLL_MS);
    }
  }

  /**
   * The call is over: the caller's guest account is deactivated (its session revoked in the same
   * transaction, and forgotten by the token cache), so an account made for one call outlives it
   * only as the record its lobby entry and attendance point to.
   */
  async function retire(organisationId: string, userId: string): Promise<void> {
    await store.identity.changeUser(organisationId, userId, () => ({ status: 'deactivated' }), nowIso());
    identity.forget({ userId });
  }

  /** A caller whose PIN opened `meeting`: knocks, waits, and is relayed into the meeting once let in. */
  async function knock(agent: PhoneAgent, meeting: Meeting): Promise<void> {
    const name = maskPhoneNumber(agent.callerNumber);
    const session = await identity.externalGuest(meeting.organisationId, name, undefined, PHONE_ORIGIN);
    const guest = await identity.authenticate(session.tokens.accessToken, PHONE_ORIGIN);
    // The call is the caller's connection: while it lasts they are online, so their lobby entry
    // waits, and goes with an instance that dies mid-call as an app's does (presence.ts `hold`).
    const release = await presence.hold(guest);
    try {
      await inMeeting(agent, meeting, guest, name);
    } finally {
      await release();
      await retire(guest.user.organisationId, guest.user.id);
    }
  }

  async function inMeeting(agent: PhoneAgent, meeting: Meeting, guest: Caller, name: string): Promise<void> {
    try {
      await meetings.knockByLink(guest, meeting, name);
    } catch {
      await agent.say('closed');
      return;
    }
    await agent.say('wait');
    const outcome = await verdict(meeting.id, guest.user.id, agent);
    // Nobody waits any more: the entry leaves the hosts' lobby.
    if (outcome === 'gone') return meetings.withdraw(meeting, guest.user.id);
    if (outcome === 'refused') {
      await agent.say('denied');
      return;
    }
    const joined = await meetings.join(guest, meeting.id, { displayName: name });
    if (joined.status !== 'joined') return;
    const relay = await agent.relayInto(joined.livekit.url, joined.livekit.token);
    await Promise.race([relay.ended, agent.hungUp]);
    await relay.close();
  }

  /** One dial-in call, from answer to hang-up; ending its room hangs the phone up. */
  async function answer(room: string): Promise<void> {
    // The room can be seen a moment before livekit-sip's participant is in it.
    let caller = await livekit.sip.caller(room);
    for (let waited = 0; caller === undefined && waited < CALLER_WAIT_MS; waited += POLL_MS) {
      await sleep(POLL_MS);
      caller = await livekit.sip.caller(room);
    }
    if (caller === undefined || setup === undefined) return;
    const agent = await joinCall({
      wsUrl: livekit.wsUrl,
      token: await livekit.mintPhoneAgent(room),
      callerIdentity: caller.identity,
      callerNumber: caller.number,
      voice: setup.voice,
    });
    agents.add(agent);
    try {
      await agent.say('welcome');
      for (let tries = 0; tries < TRIES_PER_CALL; tries += 1) {
        const pin = await agent.readPin();
        if (pin === null) return;
        const opened = await tryPin(caller.number, pin);
        if (opened === 'blocked') return await agent.say('blocked');
        if (opened === 'wrong') {
          await agent.say('wrong');
          continue;
        }
        return await knock(agent, opened.meeting);
      }
      await agent.say('blocked');
    } finally {
      agents.delete(agent);
      await agent.close();
      await livekit.endRoom(room);
    }
  }

  /** Answers calls that arrived since the last look (each once, and not one another instance answers). */
  async function lookForCalls(): Promise<void> {
    for (const { name: room } of await livekit.heldRooms()) {
      if (!room.startsWith(CALL_ROOM_PREFIX) || calls.has(room)) continue;
      if (await livekit.sip.answered(room)) continue;
      const call = answer(room)
        .catch((e: unknown) => log(`the phone call in ${room} failed`, e))
        .finally(() => {
          // The room is gone by now; its name is not reused (livekit-sip adds a random suffix).
          setTimeout(() => calls.delete(room), 60_000);
        });
      calls.set(room, call);
    }
  }

  /** The outbound trunk's id (looked up each time: one list call, and a changed setting takes effect). */
  function trunk(): Promise<string> {
    return livekit.sip.ensureOutbound(outboundSettings());
  }

  function outboundSettings(): OutboundTrunkSettings {
    const outbound = settings?.outbound;
    if (outbound === null || outbound === undefined)
      throw new ServiceError('unavailable', 'this server places no phone calls');
    return outbound;
  }

  /**
   * The trunk and number a dial-out goes through: a phone number through the configured trunk; a
   * SIP address straight to its host, through a trunk of its own (the address pinned to what the
   * name resolves to now, public unless `sipAllowPrivate`, and never the trunk's credentials).
   * An address it must not call is `refused` (someone typed it: a bad request, by default).
   */
  async function route(to: string, refused = badRequest): Promise<{ trunkId: string; to: string }> {
    const sip = parseSipAddress(to);
    if (sip === undefined) return { trunkId: await trunk(), to };
    const { number } = outboundSettings();
    let host: string;
    try {
      ({ address: host } = await resolveHost(sip.host, {
        allowPrivate: settings?.sipAllowPrivate ?? false,
        lookup: systemLookup,
      }));
    } catch (e) {
      if (e instanceof TargetRefused) throw refused(`cannot call ${sip.host}: ${e.message}`);
      throw e;
    }
    const address = host.includes(':') ? `[${host}]:${sip.port}` : `${host}:${sip.port}`;
    const trunkId = await livekit.sip.ensureOutbound({ address, number }, `tandem-sip-${address}`);
    return { trunkId, to: sip.user };
  }

  const bridgeIdentity = async (meetingId: string): Promise<string | undefined> =>
    (await livekit.participantIdentities(roomOf(meetingId))).find(isBridgeIdentity);

  async function bridgeState(meetingId: string): Promise<AudioBridge> {
    const id = await bridgeIdentity(meetingId);
    const call = id === undefined ? undefined : await livekit.sip.call(roomOf(meetingId), id);
    if (id === undefined || call === undefined || call.status === 'hangup') {
      // Between a connector's refusal and the phone bridge's call nobody is in the room: still dialling.
      const placed = bridging.get(meetingId);
      return placed === undefined ? BRIDGE_OFF : { state: 'dialling', ...placed };
    }
    return {
      state: call.status === 'active' ? 'connected' : 'dialling',
      to: bridgeDestination(id),
      fellBackFrom: call.attributes[FELL_BACK_FROM] ?? null,
    };
  }

  /** livekit-sip calls the linked meeting from the meeting's room, as the bridge's participant. */
  function dialBridge(
    r: SipBridgeRequest,
    target: { trunkId: string; to: string },
    extra: { fellBackFrom?: string; answerWithinSeconds?: number } = {},
  ): Promise<void> {
    return livekit.sip.dial({
      ...target,
      room: r.roomName,
      identity: r.participantIdentity,
      name: r.participantName,
      attributes: {
        role: 'attendee',
        displayName: r.participantName,
        phone: 'bridge',
        ...(extra.fellBackFrom === undefined ? {} : { [FELL_BACK_FROM]: extra.fellBackFrom }),
      },
      ...(r.dtmf === '' ? {} : { dtmf: r.dtmf }),
      ...(extra.answerWithinSeconds === undefined ? {} : { answerWithinSeconds: extra.answerWithinSeconds }),
    });
  }

  /**
   * Calls the room connector and waits for its answer; when it refuses (the linked meeting's
   * account has no connector) or does not answer, calls the phone bridge with its keypad tones
   * instead, whose participant names the connector that refused. Runs on after the request that
   * started it answered `dialling`.
   */
  function connectOrFallBack(
    meetingId: string,
    connector: SipBridgeRequest,
    target: { trunkId: string; to: string },
    phone: SipBridgeRequest,
  ): void {
    bridging.set(meetingId, { to: connector.sipCallTo, fellBackFrom: null });
    const work = (async () => {
      try {
        await dialBridge(connector, target, {
          answerWithinSeconds: settings?.connectorRingSeconds ?? CONNECTOR_RING_SECONDS,
        });
        return;
      } catch (e) {
        // A host stopped the bridge while the connector rang: nothing more to call.
        if (!bridging.has(meetingId)) return;
        log(`the room connector ${connector.sipCallTo} did not take meeting ${meetingId}'s audio bridge`, e);
      }
      bridging.set(meetingId, { to: phone.sipCallTo, fellBackFrom: connector.sipCallTo });
      const phoneTarget = await route(phone.sipCallTo, conflict);
      // A host's stop while the trunk was looked up: nothing is in the room to hang up, so nothing is called.
      if (!bridging.has(meetingId)) return;
      await dialBridge(phone, phoneTarget, { fellBackFrom: connector.sipCallTo });
    })()
      .catch((e: unknown) => log(`meeting ${meetingId}'s audio bridge could not call its phone bridge`, e))
      .finally(() => {
        bridging.delete(meetingId);
        placing.delete(work);
      });
    placing.add(work);
  }

  return {
    /**
     * A phone call left a meeting's room (LiveKit's webhook: it hung up, did not answer, or was
     * removed): the guest account a dial-out made for it ends with the call, like a dial-in's.
     * Only a guest account: a person of the organisation is never deactivated by a call.
     */
    async callEnded(organisationId: string, userId: string): Promise<void> {
      const user = await store.identity.getUser(organisationId, userId);
      if (user?.role === 'guest' && user.status !== 'deactivated') await retire(organisationId, userId);
    },

    /**
     * Provisions dial-in and starts answering calls. With several instances `every` is the
     * cluster's leased job, so one instance at a time looks for new calls.
     */
    async start(every?: (name: string, everyMs: number, work: () => Promise<unknown>) => void): Promise<void> {
      if (settings?.dialIn === null || settings?.dialIn === undefined) return;
      await livekit.sip.ensureDialIn(CALL_ROOM_PREFIX, settings.dialIn.allowedAddresses);
      if (every !== undefined) return every('phone-calls', POLL_MS, lookForCalls);
      const tick = (): void => {
        void lookForCalls()
          .catch((e: unknown) => log('looking for phone calls failed', e))
          .finally(() => {
            if (polling !== undefined) polling = setTimeout(tick, POLL_MS);
          });
      };
      polling = setTimeout(tick, POLL_MS);
    },

    async stop(): Promise<void> {
      clearTimeout(polling);
      polling = undefined;
      await Promise.allSettled([...agents].map((a) => a.close()));
      await Promise.allSettled([...calls.values(), ...placing]);
    },

    async numbers(caller: Caller): Promise<DialInNumbers> {
      return { numbers: await store.phone.numbers(caller.user.organisationId) };
    },

    async setNumbers(caller: Caller, req: DialInNumbers): Promise<DialInNumbers> {
      if (!isOrgAdmin(caller)) throw forbidden('only owners and admins set the dial-in numbers');
      const organisationId = caller.user.organisationId;
      await store.phone.setNumbers(organisationId, req.numbers);
      await audit.record({
        organisationId,
        action: 'phone.numbers_changed',
        actor: auditActor(caller),
        target: { kind: 'organisation', id: organisationId, label: 'dial-in numbers' },
        origin: caller.origin,
        detail: { numbers: req.numbers.map((n) => n.number).join(', ') },
      });
      return { numbers: await store.phone.numbers(organisationId) };
    },

    /** Numbers and PIN; the PIN is made the first time anyone who may take part asks. */
    async dialIn(caller: Caller, meetingId: string): Promise<DialInDetails> {
      const meeting = await access.meeting(caller, meetingId);
      const numbers = await store.phone.numbers(meeting.organisationId);
      if (settings?.dialIn == null || numbers.length === 0) return { available: false, numbers, pin: null };
      return { available: true, numbers, pin: await pinFor(store, meeting.id) };
    },

    /**
     * Calls a phone into the meeting. Hosts call anyone; a participant may have
     * the meeting call them ("call me"). The callee is a guest the host let in, named by their
     * masked number, so hosts mute and remove them like anyone.
     */
    async dialOut(caller: Caller, meetingId: string, to: string): Promise<DialOutResult> {
      const meeting = await access.meeting(caller, meetingId);
      if (!access.isHost(caller.user, meeting) && caller.user.role === 'guest')
        throw forbidden('only hosts and members call phones into a meeting');
      if (meeting.status === 'ended' || meeting.status === 'cancelled')
        throw conflict(`the meeting is ${meeting.status}`);
      const target = await route(to);
      const name = dialOutName(to);
      const session = await identity.externalGuest(meeting.organisationId, name, undefined, caller.origin);
      const guest = await identity.authenticate(session.tokens.accessToken, caller.origin);
      const waiting = await meetings.knockByLink(guest, meeting, name);
      if (waiting.status === 'waiting') await meetings.admitEntry(meeting, waiting.entry);
      const room = roomOf(meeting.id);
      await livekit.ensureRoom(room);
      await livekit.sip.dial({
        ...target,
        room,
        identity: guest.user.id,
        name,
        attributes: { userId: guest.user.id, role: 'attendee', displayName: name, phone: 'dial-out' },
      });
      await audit.record({
        organisationId: meeting.organisationId,
        action: 'phone.dialled_out',
        actor: auditActor(caller),
        target: { kind: 'meeting', id: meeting.id, label: meeting.title },
        origin: caller.origin,
        detail: { to: name },
      });
      return { identity: guest.user.id, name };
    },

    async bridge(caller: Caller, meetingId: string): Promise<AudioBridge> {
      const meeting = await access.meeting(caller, meetingId);
      return bridgeState(meeting.id);
    },

    /**
     * Dials the linked meeting's room connector (its SIP address) or phone bridge with its keypad
     * tones (`planSipBridge`), through the same routes as a dial-out. A connector that refuses the
     * call is followed by the phone bridge, where the meeting has one (`connectOrFallBack`).
     */
    async startBridge(caller: Caller, meetingId: string): Promise<AudioBridge> {
      const meeting = await access.asHost(caller, meetingId);
      const linked = await store.linkedMeetings.get(meeting.organisationId, meeting.id);
      if (linked === undefined) throw conflict('this meeting is not linked to a Teams, Zoom or Meet meeting');
      if ((await bridgeState(meeting.id)).state !== 'off') return bridgeState(meeting.id);
      const plan = planSipBridge({
        meeting: linked.linked,
        roomName: roomOf(meeting.id),
        ...(settings?.preferredPrefix === undefined ? {} : { preferredPrefix: settings.preferredPrefix }),
      });
      if (!plan.ok) throw conflict(plan.message);
      const r = plan.request;
      // Nobody typed the address (the invitation printed it): one this server must not call is a conflict.
      const target = await route(r.sipCallTo, conflict);
      await livekit.ensureRoom(r.roomName);
      if (plan.fallback === null) await dialBridge(r, target);
      else connectOrFallBack(meeting.id, r, target, plan.fallback);
      await audit.record({
        organisationId: meeting.organisationId,
        action: 'phone.bridge_started',
        actor: auditActor(caller),
        target: { kind: 'meeting', id: meeting.id, label: meeting.title },
        origin: caller.origin,
        detail: { provider: linked.linked.provider, to: r.sipCallTo },
      });
      return bridgeState(meeting.id);
    },

    /** Hangs the bridge up: its participant leaves the room and livekit-sip ends the call. */
    async stopBridge(caller: Caller, meetingId: string): Promise<AudioBridge> {
      const meeting = await access.asHost(caller, meetingId);
      bridging.delete(meeting.id);
      const id = await bridgeIdentity(meeting.id);
      if (id !== undefined) {
        await livekit.remove(roomOf(meeting.id), id);
        await audit.record({
          organisationId: meeting.organisationId,
          action: 'phone.bridge_stopped',
          actor: auditActor(caller),
          target: { kind: 'meeting', id: meeting.id, label: meeting.title },
          origin: caller.origin,
        });
      }
      return BRIDGE_OFF;
    },
  };
}

export type PhoneService = ReturnType<typeof phoneService>;

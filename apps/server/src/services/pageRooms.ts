import {
  PAGE_AWARENESS_CLIENTS,
  PAGE_DOC,
  PAGE_FRAME,
  pageKeyString,
  type PageFieldEdit,
  type PageKey,
  type PagePersonRef,
  type PageServerMessage,
  type PageViewer,
  type PresenceStatus,
} from '@tandem/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { PageBusMessage, PageRelay, RelayedMember, RosterPage } from '../cluster/pageRelay.ts';
import type { Store } from '../store/index.ts';
import { nowIso } from './context.ts';
import type { Log } from './realtime.ts';

/** Milliseconds a document waits after its last change before it is written to the store. */
const SAVE_AFTER_MS = 300;
/** How often each instance tells the others holding its pages who is on them through it (see `PageRelay`). */
const MEMBERS_EVERY_MS = 3_000;
/** Who is on a page through another instance is forgotten this long after that instance last said so (it died). */
const MEMBERS_EXPIRE_MS = 10_000;

/** One page socket, as a room sees it. */
export type PageMember = {
  readonly person: PagePersonRef;
  sendFrame(frame: Uint8Array): void;
  send(message: PageServerMessage): void;
};

/** Where a page is: its organisation, key, address and title. */
export type PagePlace = {
  readonly organisationId: string;
  readonly page: PageKey;
  readonly url: string;
  readonly title: string;
};

type Room = PagePlace & {
  readonly key: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  /** Each member and the awareness clients it speaks for. */
  readonly members: Map<PageMember, Set<number>>;
  /** Open delegations: field → the only person who may write it. */
  locks: ReadonlyMap<string, string>;
  saveTimer: NodeJS.Timeout | null;
  saving: Promise<void>;
  /** While a refused update is undone: the updates made, sent together once it is. */
  held: Uint8Array[] | null;
  /** Who is on it through this instance and where, as the organisation last heard (see `noteChange`). */
  shown: string;
  /** Who is on it through this instance, as the other instances last heard (see `tell`). */
  told: string;
};

/** Who is on a page through another instance, as it last said, and until when that holds. */
type Remote = {
  readonly organisationId: string;
  readonly members: readonly RelayedMember[];
  readonly until: number;
};

/** The origin of changes another instance made (applied here, never sent on again). */
const RELAYED = Symbol('relayed');
/** The origin of what the store had that this instance lacked, merged in while saving. */
const STORED = Symbol('stored');
/** The awareness' own origin when it drops a client that stopped renewing its state (y-protocols). */
const TIMED_OUT = 'timeout';

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const bytes = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64'));

/** The origin of a refused update while it is applied and undone: nobody's change. */
const REFUSED = Symbol('refused');

/** A field's value to put back: a primitive, or a long text's words (the text is made anew). */
type Previous = { readonly text: string } | { readonly value: unknown } | undefined;
const previousOf = (map: Y.Map<unknown>, key: string): Previous => {
  if (!map.has(key)) return undefined;
  const v = map.get(key);
  return v instanceof Y.Text ? { text: v.toString() } : { value: v };
};
const restore = (map: Y.Map<unknown>, key: string, p: Previous): void => {
  if (p === undefined) map.delete(key);
  else if ('text' in p) map.set(key, new Y.Text(p.text));
  else map.set(key, p.value);
};

/** A refused frame: what the member is told. */
export class PageRefusal extends Error {}

/** A shared type as a transaction lists it. */
type Shared = Y.Transaction['changed'] extends Map<infer K, unknown> ? K : never;

/** The top-level field a (possibly nested) shared type belongs to. */
function fieldOf(fields: Y.Map<unknown>, type: Shared): string | undefined {
  let t = type;
  while (t._item !== null) {
    const { parent, parentSub } = t._item;
    if (parent === fields) return parentSub ?? undefined;
    if (!(parent instanceof Y.AbstractType)) return undefined;
    t = parent;
  }
  return undefined;
}

/** The fields a transaction changed, and whether it changed `edits`. */
function changedIn(doc: Y.Doc, tx: Y.Transaction): { fields: Set<string>; edits: boolean } {
  const fields = doc.getMap(PAGE_DOC.fields);
  const edits = doc.getMap(PAGE_DOC.edits);
  const changed = new Set<string>();
  let touchedEdits = false;
  for (const [type, subs] of tx.changed) {
    const shared: unknown = type;
    if (shared === edits) {
      touchedEdits = true;
    } else if (shared === fields) {
      for (const k of subs) if (k !== null) changed.add(k);
    } else {
      const field = fieldOf(fields, type);
      if (field !== undefined) changed.add(field);
    }
  }
  return { fields: changed, edits: touchedEdits };
}

/** What a Yjs update would change, tried on a copy of the document. */
function touched(doc: Y.Doc, update: Uint8Array): { fields: Set<string>; edits: boolean } {
  const probe = new Y.Doc();
  // Typed before anything is applied, so that changes arrive on these very instances.
  probe.getMap(PAGE_DOC.fields);
  probe.getMap(PAGE_DOC.edits);
  Y.applyUpdate(probe, Y.encodeStateAsUpdate(doc));
  let result = { fields: new Set<string>(), edits: false };
  probe.on('afterTransaction', (tx: Y.Transaction) => {
    const c = changedIn(probe, tx);
    result = { fields: new Set([...result.fields, ...c.fields]), edits: result.edits || c.edits };
  });
  Y.applyUpdate(probe, update);
  probe.destroy();
  return result;
}

/** The clients an awareness update speaks for (its wire format: count, then id, clock, JSON state each). */
function awarenessClients(update: Uint8Array): number[] {
  const d = decoding.createDecoder(update);
  const n = decoding.readVarUint(d);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(decoding.readVarUint(d));
    decoding.readVarUint(d);
    decoding.readVarString(d);
  }
  return ids;
}

const frame = (kind: number, write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, kind);
  write(e);
  return encoding.toUint8Array(e);
};

/**
 * The pages people are on now: one Yjs document and awareness per page (organisation + page key),
 * in memory while someone is on it and persisted in the store. Presence is Yjs awareness, but who
 * a client is comes from the server (`roster`), never from what the client says of itself.
 *
 * Across instances (`relay`; a no-op alone): each instance holding a page keeps its own document
 * and awareness, and hears the page's channel from opening the room until its last socket left;
 * what its own sockets change is sent to the others holding it, which apply it with the relay's
 * origin (so it goes no further). An instance opening a page, once it hears the channel, exchanges
 * state vectors with those holding it (`hello`, `state`), and so again after the bus came back.
 * Who is on a page through each instance is told to the others holding it whole after every
 * change and every MEMBERS_EVERY_MS, and forgotten MEMBERS_EXPIRE_MS after that instance last
 * told it (it died). For the Pages view (`now`), each instance shares who is on the organisation's
 * pages through it in Redis (`shareRoster`), read when asked: an instance with nobody of an
 * organisation hears nothing of its pages. Saving merges into what the store has, so two instances
 * lose nothing.
 */
export function pageRooms(
  store: Store,
  /** How these people of the organisation are now (those of a room, not everyone in it: rosters change at every join). */
  statuses: (organisationId: string, userIds: readonly string[]) => Promise<Map<string, PresenceStatus>>,
  log: Log,
  /** Who is on which page, or in which field, changed in the organisation (not a cursor or a keystroke). */
  changed: (organisationId: string) => void,
  relay: PageRelay,
  /**
   * A control message another instance broadcast on a page this instance holds: called as the bus
   * delivers it, before the bus's next message is handled (the message reaches the page's sockets
   * just after).
   */
  heard: (organisationId: string, message: PageServerMessage) => void,
) {
  const rooms = new Map<string, Promise<Room>>();
  /** Joins and leaves under way: stopping waits for them (they read and write the store). */
  const underWay = new Set<Promise<unknown>>();
  /** The store is closing (`flush` ran): nothing is written or read any more. */
  let stopped = false;
  /** `work`, counted under way until it ends. */
  async function run<T>(work: () => Promise<T>): Promise<T> {
    const running = work();
    underWay.add(running);
    try {
      return await running;
    } finally {
      underWay.delete(running);
    }
  }
  /** Page (room key) → instance → who is on that page through it, for the pages this instance holds. */
  const remote = new Map<string, Map<string, Remote>>();
  /** Organisation → page (room key) → who is on it through this instance, as shared (see `PageRelay.shareRoster`). */
  const shared = new Map<string, Map<string, RosterPage>>();
  const me = relay.instanceId;

  const roomKey = (organisationId: string, page: PageKey): string => `${organisationId} ${pageKeyString(page)}`;
  const placeOf = ({ organisationId, page, url, title }: PagePlace): PagePlace => ({
    organisationId,
    page,
    url,
    title,
  });

  /** Who is on the page through other instances, as long as they still say so. */
  function remoteOf(key: string): Remote[] {
    const now = Date.now();
    return [...(remote.get(key)?.values() ?? [])].filter((r) => r.until > now);
  }

  /** This instance's sockets on the page: who, their awareness clients, the field they are in, idle or not. */
  function localMembers(room: Room): RelayedMember[] {
    const states = room.awareness.getStates();
    return [...room.members].map(([m, ids]): RelayedMember => {
      const state = [...ids].map((id) => states.get(id)).find((s) => s !== undefined);
      const field = state?.['field'];
      return {
        userId: m.person.id,
        name: m.person.name,
        clientIds: [...ids],
        field: typeof field === 'string' && field.length > 0 ? field.slice(0, 100) : null,
        idle: state?.['idle'] === true,
      };
    });
  }

  /**
   * Every socket on the page, on this instance and the others. A socket that moved here from a
   * dead instance (the same awareness client) counts once, here, before that instance is forgotten.
   */
  function everyone(room: Room): RelayedMember[] {
    const here = localMembers(room);
    const claimed = new Set(here.flatMap((m) => m.clientIds));
    const there = remoteOf(room.key).flatMap((r) => r.members);
    return [...here, ...there.filter((m) => !m.clientIds.some((id) => claimed.has(id)))];
  }

  /** The people among `members`, each once. */
  const userIdsOf = (members: readonly RelayedMember[]): string[] => [...new Set(members.map((m) => m.userId))];

  const viewerOf = (m: RelayedMember, status: ReadonlyMap<string, PresenceStatus>): PageViewer => ({
    userId: m.userId,
    name: m.name,
    status: status.get(m.userId) ?? 'online',
    field: m.field,
    idle: m.idle,
  });

  /**
   * Tells the other instances holding the page who is on it through this one, when it changed (or
   * `always`), and shares the organisation's roster again when it changed.
   */
  function tell(room: Room, members: RelayedMember[], always = false): void {
    if (!relay.shared) return;
    const told = JSON.stringify(members);
    if (!always && told === room.told) return;
    const { organisationId, page, url, title } = room;
    relay.send({ op: 'members', organisationId, page, from: me, members });
    if (told === room.told) return;
    room.told = told;
    let pages = shared.get(organisationId);
    if (pages === undefined) shared.set(organisationId, (pages = new Map()));
    if (members.length > 0) pages.set(room.key, { page, url, title, members });
    else pages.delete(room.key);
    if (pages.size === 0) shared.delete(organisationId);
    relay.shareRoster(organisationId, [...pages.values()]);
  }

  /**
   * Tells the organisation when who is on the page through this instance, or where, differs from
   * what it last heard (the other instances tell it of theirs), and the other instances too.
   */
  function noteChange(room: Room): void {
    const members = localMembers(room);
    const shown = JSON.stringify(members.map((m) => [m.userId, m.name, m.field, m.idle]));
    if (shown !== room.shown) {
      room.shown = shown;
      changed(room.organisationId);
    }
    tell(room, members);
  }

  function save(room: Room): Promise<void> {
    if (room.saveTimer !== null) clearTimeout(room.saveTimer);
    room.saveTimer = null;
    // `flush` wrote the document already; a change after it comes too late for the store.
    if (stopped) return room.saving;
    const merge = (stored: string | undefined): string => {
      // What another instance saved that this one lacks joins the document (and reaches its sockets).
      if (relay.shared && stored !== undefined) Y.applyUpdate(room.doc, bytes(stored), STORED);
      return base64(Y.encodeStateAsUpdate(room.doc));
    };
    room.saving = room.saving
      .then(() => store.pages.mergeDoc(room.organisationId, room.page, merge, nowIso()))
      .catch((e: unknown) => log(`the page document ${room.key} could not be saved`, e));
    return room.saving;
  }

  /** A change of the document: to every member but the one it came from, to the other instances, and to the store soon. */
  function publish(room: Room, update: Uint8Array, from: unknown): void {
    const f = frame(PAGE_FRAME.sync, (e) => syncProtocol.writeUpdate(e, update));
    for (const m of room.members.keys()) if (m !== from) m.sendFrame(f);
    if (relay.shared && from !== RELAYED)
      relay.send({ op: 'update', organisationId: room.organisationId, page: room.page, update: base64(update) });
    // What came from the store is being written with it already.
    if (from !== STORED && room.saveTimer === null && !stopped)
      room.saveTimer = setTimeout(() => void save(room), SAVE_AFTER_MS);
  }

  async function roster(room: Room): Promise<void> {
    if (stopped) return;
    const status = await statuses(room.organisationId, userIdsOf(everyone(room)));
    const viewers = everyone(room).flatMap((m) =>
      m.clientIds.map((clientId) => ({
        clientId,
        userId: m.userId,
        name: m.name,
        status: status.get(m.userId) ?? 'online',
      })),
    );
    for (const m of room.members.keys()) m.send({ type: 'roster', viewers });
    noteChange(room);
  }

  /** Asks the instances holding the page for what this one lacks (they answer `state`). */
  function hello(room: Room): void {
    if (!relay.shared) return;
    const { organisationId, page } = room;
    relay.send({ op: 'hello', organisationId, page, from: me, stateVector: base64(Y.encodeStateVector(room.doc)) });
  }

  async function open(place: PagePlace, locks: ReadonlyMap<string, string>): Promise<Room> {
    const key = roomKey(place.organisationId, place.page);
    const doc = new Y.Doc({ gc: true });
    doc.getMap(PAGE_DOC.fields);
    const edits = doc.getMap<PageFieldEdit>(PAGE_DOC.edits);
    const stored = await store.pages.doc(place.organisationId, place.page);
    if (stored !== undefined) Y.applyUpdate(doc, Buffer.from(stored, 'base64'));
    const awareness = new awarenessProtocol.Awareness(doc);
    // The server is nobody on the page.
    awareness.setLocalState(null);
    const room: Room = {
      ...place,
      key,
      doc,
      awareness,
      members: new Map(),
      locks,
      saveTimer: null,
      saving: Promise.resolve(),
      held: null,
      shown: '',
      told: '',
    };

    // Who changed what: the server writes it after each member's change, in its own transaction.
    doc.on('afterTransaction', (tx: Y.Transaction) => {
      const member = tx.origin;
      if (!(typeof member === 'object' && member !== null && room.members.has(member as PageMember))) return;
      const changed = changedIn(doc, tx).fields;
      if (changed.size === 0) return;
      const { person } = member as PageMember;
      const at = nowIso();
      queueMicrotask(() =>
        doc.transact(() => {
          for (const field of changed) edits.set(field, { userId: person.id, name: person.name, at });
        }, 'server'),
      );
    });
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (room.held !== null) room.held.push(update);
      else publish(room, update, origin);
    });
    awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const changed = [...added, ...updated, ...removed];
        const update = awarenessProtocol.encodeAwarenessUpdate(awareness, changed);
        const f = frame(PAGE_FRAME.awareness, (e) => encoding.writeVarUint8Array(e, update));
        for (const m of room.members.keys()) m.sendFrame(f);
        noteChange(room);
        // Each instance times out the clients that stopped renewing by itself.
        if (relay.shared && origin !== RELAYED && origin !== TIMED_OUT)
          relay.send({ op: 'awareness', organisationId: room.organisationId, page: room.page, update: base64(update) });
      },
    );
    return room;
  }

  async function roomOf(place: PagePlace, locks: () => Promise<ReadonlyMap<string, string>>): Promise<Room> {
    const key = roomKey(place.organisationId, place.page);
    let room = rooms.get(key);
    if (room === undefined) {
      room = locks()
        .then((l) => open(place, l))
        .then(async (r) => {
          // What is sent on the page from now on reaches this instance; `hello` asks for what was before.
          await relay.join(r.organisationId, r.page);
          hello(r);
          return r;
        });
      rooms.set(key, room);
      room.catch(() => {
        rooms.delete(key);
        relay.leave(place.organisationId, place.page);
      });
    }
    return room;
  }

  /** The room of a page if this instance holds it, and still does once it is open. */
  async function held(key: string): Promise<Room | undefined> {
    const pending = rooms.get(key);
    if (pending === undefined) return undefined;
    const room = await pending;
    return rooms.get(key) === pending ? room : undefined;
  }

  /**
   * The member's own change to the document, checked against the page's locks and the server's
   * own map. A refused change is applied and undone at once (a client's updates must reach the
   * document in order, or none after it could), and everyone gets both as one update, so nobody
   * sees the refused value, and the member's own page returns to what everyone else has.
   */
  function applyUpdate(room: Room, member: PageMember, update: Uint8Array): void {
    const { fields, edits } = touched(room.doc, update);
    const forbidden = [...fields].filter((f) => {
      const holder = room.locks.get(f);
      return holder !== undefined && holder !== member.person.id;
    });
    if (!edits && forbidden.length === 0) {
      Y.applyUpdate(room.doc, update, member);
      return;
    }
    const fieldMap = room.doc.getMap(PAGE_DOC.fields);
    const editMap = room.doc.getMap(PAGE_DOC.edits);
    const before = forbidden.map((f) => [f, previousOf(fieldMap, f)] as const);
    const editsBefore = [...editMap.keys()].map((k) => [k, previousOf(editMap, k)] as const);
    room.held = [];
    try {
      Y.applyUpdate(room.doc, update, REFUSED);
      room.doc.transact(() => {
        for (const [f, p] of before) restore(fieldMap, f, p);
        if (edits) {
          for (const k of [...editMap.keys()]) if (!editsBefore.some(([e]) => e === k)) editMap.delete(k);
          for (const [k, p] of editsBefore)
            if (JSON.stringify(editMap.get(k)) !== JSON.stringify(p && 'value' in p ? p.value : undefined))
              restore(editMap, k, p);
        }
      }, REFUSED);
    } finally {
      const held = room.held;
      room.held = null;
      if (held.length > 0) publish(room, Y.mergeUpdates(held), null);
    }
    throw new PageRefusal(
      forbidden.length > 0
        ? `the field ${forbidden.join(', ')} is delegated to someone else until they finish`
        : 'who changed what is written by the server only',
    );
  }

  function receive(room: Room, member: PageMember, data: Uint8Array): void {
    const d = decoding.createDecoder(data);
    const kind = decoding.readVarUint(d);
    if (kind === PAGE_FRAME.sync) {
      const step = decoding.readVarUint(d);
      if (step === syncProtocol.messageYjsSyncStep1) {
        const reply = frame(PAGE_FRAME.sync, (e) => syncProtocol.readSyncStep1(d, e, room.doc));
        member.sendFrame(reply);
      } else if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
        applyUpdate(room, member, decoding.readVarUint8Array(d));
      } else throw new PageRefusal('unknown sync message');
      return;
    }
    if (kind === PAGE_FRAME.awareness) {
      const update = decoding.readVarUint8Array(d);
      const mine = room.members.get(member);
      if (mine === undefined) return;
      const ids = awarenessClients(update);
      // Through another instance: the same person may have moved here (that instance died).
      const elsewhere = new Map(
        remoteOf(room.key).flatMap((r) => r.members.flatMap((m) => m.clientIds.map((id) => [id, m.userId] as const))),
      );
      for (const id of ids) {
        const owner = [...room.members].find(([, set]) => set.has(id))?.[0];
        const remoteOwner = elsewhere.get(id);
        if (
          (owner !== undefined && owner !== member) ||
          (remoteOwner !== undefined && remoteOwner !== member.person.id)
        )
          throw new PageRefusal('another person speaks for that client');
      }
      const fresh = ids.filter((id) => !mine.has(id));
      if (mine.size + fresh.length > PAGE_AWARENESS_CLIENTS) throw new PageRefusal('too many awareness clients');
      for (const id of fresh) mine.add(id);
      awarenessProtocol.applyAwarenessUpdate(room.awareness, update, member);
      if (fresh.length > 0) void roster(room).catch((e: unknown) => log('page roster failed', e));
      return;
    }
    throw new PageRefusal('unknown frame');
  }

  /** Another instance holding the page said who is on it through that instance (nobody: it left). */
  async function heardMembers(m: Extract<PageBusMessage, { op: 'members' }>): Promise<void> {
    const key = roomKey(m.organisationId, m.page);
    // Said as this instance left the page: what it holds no more is not its to track.
    if (!rooms.has(key)) return;
    let byInstance = remote.get(key);
    const before = JSON.stringify(byInstance?.get(m.from)?.members ?? []);
    if (m.members.length === 0) {
      byInstance?.delete(m.from);
      if (byInstance?.size === 0) remote.delete(key);
    } else {
      if (byInstance === undefined) remote.set(key, (byInstance = new Map()));
      byInstance.set(m.from, {
        organisationId: m.organisationId,
        members: m.members,
        until: Date.now() + MEMBERS_EXPIRE_MS,
      });
    }
    if (JSON.stringify(m.members) === before) return;
    const room = await held(key);
    if (room !== undefined) await roster(room);
  }

  /** An instance stopped telling who is on a page through it (it died): its people leave the page here. */
  async function forget(key: string, gone: Remote): Promise<void> {
    changed(gone.organisationId);
    const room = await held(key);
    if (room === undefined) return;
    const states = room.awareness.getStates();
    // Not the clients that moved here meanwhile.
    const here = new Set([...room.members.values()].flatMap((set) => [...set]));
    const ids = gone.members.flatMap((m) => m.clientIds).filter((id) => states.has(id) && !here.has(id));
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(room.awareness, ids, RELAYED);
    await roster(room);
  }

  async function heed(m: PageBusMessage): Promise<void> {
    if (m.op === 'members') return heardMembers(m);
    const key = roomKey(m.organisationId, m.page);
    // Heard before anything is awaited: one read of the bus may carry the next message too (a
    // thread's first message right after the broadcast that places it), and it is handled at once.
    if (m.op === 'broadcast' && rooms.has(key)) heard(m.organisationId, m.message);
    const room = await held(key);
    if (room === undefined) return;
    switch (m.op) {
      case 'update':
        Y.applyUpdate(room.doc, bytes(m.update), RELAYED);
        return;
      case 'awareness':
        awarenessProtocol.applyAwarenessUpdate(room.awareness, bytes(m.update), RELAYED);
        return;
      case 'hello': {
        const ids = [...room.members.values()].flatMap((set) => [...set]);
        const { organisationId, page } = room;
        relay.send({
          op: 'state',
          organisationId,
          page,
          from: me,
          to: m.from,
          update: base64(Y.encodeStateAsUpdate(room.doc, bytes(m.stateVector))),
          stateVector: base64(Y.encodeStateVector(room.doc)),
          awareness: ids.length === 0 ? null : base64(awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids)),
        });
        tell(room, localMembers(room), true);
        return;
      }
      case 'state': {
        if (m.to !== me) return;
        Y.applyUpdate(room.doc, bytes(m.update), RELAYED);
        if (m.awareness !== null) awarenessProtocol.applyAwarenessUpdate(room.awareness, bytes(m.awareness), RELAYED);
        // What this instance has that the other lacks (sent to all: updates apply once however often they arrive).
        const update = base64(Y.encodeStateAsUpdate(room.doc, bytes(m.stateVector)));
        relay.send({ op: 'update', organisationId: room.organisationId, page: room.page, update });
        return;
      }
      case 'locks':
        room.locks = new Map(m.locks);
        return;
      case 'restatus':
        await roster(room);
        return;
      case 'broadcast':
        await broadcastHere(room.organisationId, room.page, m.message);
        return;
      default: {
        const never: never = m;
        throw new Error(`unknown page message ${JSON.stringify(never)}`);
      }
    }
  }

  /** Sends to everyone on the page through this instance (what every instance hears by itself, e.g. chat). */
  async function broadcastHere(organisationId: string, page: PageKey, message: PageServerMessage): Promise<void> {
    const room = await rooms.get(roomKey(organisationId, page));
    if (room === undefined) return;
    for (const m of room.members.keys()) m.send(message);
  }

  relay.onMessage((m) => void heed(m).catch((e: unknown) => log(`the page message ${m.op} could not be applied`, e)));
  relay.onResync(() => {
    void Promise.all([...rooms.values()]).then((open) => {
      for (const room of open) {
        hello(room);
        tell(room, localMembers(room), true);
      }
    });
  });

  /** Tells the others who is on this instance's pages again, and forgets what instances that died said. */
  async function beat(): Promise<void> {
    for (const room of await Promise.all([...rooms.values()])) tell(room, localMembers(room), true);
    const now = Date.now();
    for (const [key, byInstance] of remote)
      for (const [instanceId, r] of byInstance) {
        if (r.until > now) continue;
        byInstance.delete(instanceId);
        if (byInstance.size === 0) remote.delete(key);
        await forget(key, r);
      }
  }
  const beating = relay.shared
    ? setInterval(() => void beat().catch((e: unknown) => log('telling who is on pages failed', e)), MEMBERS_EVERY_MS)
    : undefined;
  beating?.unref();

  /** The member left the page; the last one to leave closes the room here and writes its document. */
  async function leaveRoom(room: Room, member: PageMember): Promise<void> {
    const ids = room.members.get(member);
    room.members.delete(member);
    if (ids !== undefined && ids.size > 0) awarenessProtocol.removeAwarenessStates(room.awareness, [...ids], null);
    if (room.members.size > 0) {
      await roster(room);
      return;
    }
    rooms.delete(room.key);
    remote.delete(room.key);
    relay.leave(room.organisationId, room.page);
    changed(room.organisationId);
    tell(room, []);
    room.awareness.destroy();
    await save(room);
    room.doc.destroy();
  }

  /** Puts a member on the page (see `join`). */
  async function joinRoom(place: PagePlace, member: PageMember, locks: () => Promise<ReadonlyMap<string, string>>) {
    const room = await roomOf(place, locks);
    room.members.set(member, new Set());
    member.sendFrame(frame(PAGE_FRAME.sync, (e) => syncProtocol.writeSyncStep1(e, room.doc)));
    const present = [...room.awareness.getStates().keys()];
    if (present.length > 0)
      member.sendFrame(
        frame(PAGE_FRAME.awareness, (e) =>
          encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(room.awareness, present)),
        ),
      );
    await roster(room);
    return {
      receive: (data: Uint8Array) => receive(room, member, data),
      /** Joins and leaves run to their end before the store closes (`flush` waits for them). */
      leave: (): Promise<void> => run(() => leaveRoom(room, member)),
    };
  }

  return {
    /**
     * Puts a member on the page: it gets the document's state vector to answer (sync step 1), the
     * server's own (so it sends what the server lacks) and everyone's awareness.
     */
    join(place: PagePlace, member: PageMember, locks: () => Promise<ReadonlyMap<string, string>>) {
      return run(() => joinRoom(place, member, locks));
    },

    /**
     * Someone's status changed (on this instance): the pages they are on show it, here and on the
     * instances holding those pages (on each page's channel; the rosters say where they are).
     */
    async restatus(organisationId: string, userId: string): Promise<void> {
      const theirs = (await Promise.all([...rooms.values()])).filter(
        (r) => r.organisationId === organisationId && everyone(r).some((m) => m.userId === userId),
      );
      await Promise.all(theirs.map((room) => roster(room)));
      if (!relay.shared) return;
      const pages = new Map(theirs.map((r) => [r.key, r.page]));
      for (const p of await relay.rosters(organisationId))
        if (p.members.some((m) => m.userId === userId)) pages.set(roomKey(organisationId, p.page), p.page);
      for (const page of pages.values()) relay.send({ op: 'restatus', organisationId, page, userId });
    },

    /** Sends to everyone on the page, on every instance. */
    async broadcast(organisationId: string, page: PageKey, message: PageServerMessage): Promise<void> {
      relay.send({ op: 'broadcast', organisationId, page, message });
      await broadcastHere(organisationId, page, message);
    },

    broadcastHere,

    /** The page's field locks changed (a delegation made or finished), on every instance. */
    async relock(organisationId: string, page: PageKey, locks: ReadonlyMap<string, string>): Promise<void> {
      relay.send({ op: 'locks', organisationId, page, locks: [...locks] });
      const room = await rooms.get(roomKey(organisationId, page));
      if (room !== undefined) room.locks = locks;
    },

    /** The title of the page, if someone is on it (no one's status is read). */
    async titleOf(organisationId: string, page: PageKey): Promise<string | undefined> {
      const key = roomKey(organisationId, page);
      const room = await rooms.get(key);
      if (room !== undefined) return room.title;
      return (await relay.rosters(organisationId)).find((p) => roomKey(organisationId, p.page) === key)?.title;
    },

    /**
     * The organisation's pages with someone on them on any instance, and who is in which field (from
     * awareness): the pages held here as their rooms know them, the others as the rosters say.
     */
    async now(organisationId: string): Promise<{ place: PagePlace; viewers: PageViewer[] }[]> {
      const [rosters, open] = await Promise.all([relay.rosters(organisationId), Promise.all([...rooms.values()])]);
      const mine = open.filter((r) => r.organisationId === organisationId);
      const pages = new Map(mine.map((room) => [room.key, { place: placeOf(room), members: everyone(room) }]));
      const here = new Set(pages.keys());
      for (const { page, url, title, members } of rosters) {
        const key = roomKey(organisationId, page);
        if (here.has(key)) continue;
        const known = pages.get(key);
        if (known === undefined) pages.set(key, { place: { organisationId, page, url, title }, members: [...members] });
        else known.members.push(...members);
      }
      const status = await statuses(organisationId, userIdsOf([...pages.values()].flatMap((p) => p.members)));
      return [...pages.values()].map(({ place, members }) => ({
        place,
        viewers: members.map((m) => viewerOf(m, status)),
      }));
    },

    /**
     * Stops telling the other instances, says goodbye to them, and writes every open document
     * once the joins and leaves under way ended (before the store closes). Nothing is written or
     * read after it.
     */
    async flush(): Promise<void> {
      clearInterval(beating);
      while (underWay.size > 0) await Promise.allSettled(underWay);
      const open = (await Promise.allSettled([...rooms.values()])).flatMap((r) =>
        r.status === 'fulfilled' ? [r.value] : [],
      );
      for (const room of open) tell(room, []);
      const writes = open.map((room) => save(room));
      // Saving from now on answers these writes.
      stopped = true;
      await Promise.all(writes);
    },
  };
}

export type PageRooms = ReturnType<typeof pageRooms>;
